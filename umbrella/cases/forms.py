"""Forms for the record pages. They turn posted text into cases.inputs values; services decide the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from umbrella.cases import rules
from umbrella.cases.inputs import FlagsInput, LocationInput, OffenceInput, PersonInput, StrandInput
from umbrella.cases.models import STATUS_TRANSITIONS, PersonRole, RecordKind, RecordStatus
from umbrella.cases.selectors import SORTS, RecordFilters
from umbrella.reference.fields import CodeChoiceField, code_choices, sub_category_choices
from umbrella.reference.models import Code, Scheme
from umbrella.reference.selectors import current_code, current_codes
from umbrella.web.forms import GovDateField, GovDateTimeField, OpenChoiceField, choice_field

# A loose UK postcode shape: enough to catch typing slips without rejecting real odd ones.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)

FLAG_CHOICES = [
    ("is_online", "Online or cyber-enabled"),
    ("is_domestic_abuse", "Domestic abuse"),
    ("is_asb_related", "Anti-social behaviour related"),
    ("is_alcohol_drug_related", "Alcohol or drug related"),
]



def _flags_from(values: Iterable[str]) -> FlagsInput:
    chosen = set(values)
    return FlagsInput(**{name: name in chosen for name, _ in FLAG_CHOICES})


def _clean_postcode(value: str, label: str) -> str:
    value = value.strip().upper()
    if value and not POSTCODE.match(value):
        raise ValidationError(f"Enter a real {label}, like SW1A 1AA")
    return value


# ---------------------------------------------------------------------------
# Record: what, when, where, flags
# ---------------------------------------------------------------------------


class RecordForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of record is this?",
        choices=RecordKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of record this is"},
    )
    occurred_from = GovDateTimeField(
        label="When did it happen?",
        help_text="For example, 27 3 2026. Add the time with the 24-hour clock if known, for example 14 30.",
    )
    occurred_to = GovDateTimeField(label="When did it end? (optional)", help_text="Only if it went on over a period.")
    reported_at = GovDateTimeField(label="When was it reported?", help_text="Leave blank if it is being reported now.")
    narrative = forms.CharField(
        label="What happened",
        required=False,
        max_length=20000,
        help_text="Describe the incident in plain words, including any words or gestures used.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    location_description = forms.CharField(label="Location description", required=False, max_length=300)
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    borough = CodeChoiceField(scheme="borough", label="Borough", empty_label="Not known")
    location_type = CodeChoiceField(scheme="location_type", label="Type of location", empty_label="Not known")
    online_platform = CodeChoiceField(
        scheme="online_platform", label="Online platform (if it happened online)", empty_label="Not online"
    )
    flags = forms.MultipleChoiceField(
        label="Flags",
        required=False,
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )

    def clean_postcode(self) -> str:
        return _clean_postcode(self.cleaned_data.get("postcode", ""), "postcode")

    def require_complete(self) -> None:
        """Checks that only apply when recording (not when saving a draft)."""
        if self.is_bound and not (self.cleaned_data.get("narrative") or "").strip() and "narrative" not in self.errors:
            self.add_error("narrative", "Enter what happened")

    def reported_at_or_now(self) -> datetime:
        value = self.cleaned_data.get("reported_at")
        return value if isinstance(value, datetime) else timezone.now()

    def location(self) -> LocationInput:
        data = self.cleaned_data
        return LocationInput(
            description=data.get("location_description", ""),
            postcode=data.get("postcode", ""),
            borough=data.get("borough"),
            location_type=data.get("location_type"),
            online_platform=data.get("online_platform"),
        )

    def flag_values(self) -> FlagsInput:
        return _flags_from(self.cleaned_data.get("flags", []))


class RecordEditForm(RecordForm):
    # Sent back unchanged so the service can refuse an edit based on a stale copy.
    row_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# ---------------------------------------------------------------------------
# Strands, offences, people (rows of the creation form, and one-row pages on a record)
# ---------------------------------------------------------------------------


class RowForm(forms.Form):
    """A repeated row. Blank rows are skipped; ``row_name`` prefixes its messages (e.g. "Strand 2")."""

    row_label = "Row"

    def __init__(self, *args: Any, row_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_required = row_required

    @property
    def row_name(self) -> str:
        if self.row_required or self.prefix is None:
            return ""
        index = self.prefix.rsplit("-", 1)[-1]
        return f"{self.row_label} {int(index) + 1}: " if index.isdigit() else ""

    @property
    def row_title(self) -> str:
        """E.g. "Strand 2", for the row's fieldset legend."""
        return self.row_name.rstrip(": ") or self.row_label

    def is_blank(self) -> bool:
        return not self.row_required and not self.has_changed()


class StrandForm(RowForm):
    row_label = "Strand"
    strand = CodeChoiceField(scheme="strand", label="Strand", empty_label="Choose a strand")
    perceiver = CodeChoiceField(scheme="perceiver", label="Who perceived it", empty_label="Choose who")
    sub_category = OpenChoiceField(label="Sub-category (optional)", required=False)
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)

    def __init__(self, *args: Any, sub_category_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strand_code = self.data.get(self.add_prefix("strand"), "") if self.is_bound else ""
        # Without JavaScript every sub-category is offered, grouped by strand, and checked on
        # the server; with htmx the list narrows to the chosen strand as soon as it is picked.
        choice_field(self, "sub_category").choices = sub_category_choices(strand_code=str(strand_code or ""))
        if sub_category_url:
            self.fields["strand"].widget.attrs.update(
                {
                    "hx-get": sub_category_url,
                    "hx-target": f"#{self.sub_category_group_id}",
                    "hx-swap": "outerHTML",
                    "hx-vals": f'{{"prefix": "{self.prefix or ""}"}}',
                }
            )

    @property
    def sub_category_group_id(self) -> str:
        return f"{self.prefix or 'strand'}-sub-category-group"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        strand: Code | None = data.get("strand")
        if strand is None and "strand" not in self.errors:
            self.add_error("strand", f"{self.row_name}Choose the strand of hate")
        if data.get("perceiver") is None and "perceiver" not in self.errors:
            self.add_error("perceiver", f"{self.row_name}Choose who perceived the hostility")
        sub_code = data.get("sub_category") or ""
        data["sub_category"] = None
        if sub_code:
            sub = current_code(scheme="sub_category", code=sub_code)
            if sub is None:
                self.add_error("sub_category", f"{self.row_name}Choose a sub-category from the list")
            elif strand is not None and sub.parent_code != strand.code:
                self.add_error(
                    "sub_category", f"{self.row_name}“{sub.label}” is not a sub-category of {strand.label}"
                )
            else:
                data["sub_category"] = sub
        return data

    def to_input(self) -> StrandInput:
        data = self.cleaned_data
        return StrandInput(
            strand=data["strand"], perceiver=data["perceiver"], sub_category=data.get("sub_category"),
            note=data.get("note", ""),
        )


class OffenceForm(RowForm):
    row_label = "Offence"
    offence = CodeChoiceField(scheme="offence", label="Offence", empty_label="Choose an offence")
    is_aggravated = forms.BooleanField(label="Racially or religiously aggravated", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank() and data.get("offence") is None and "offence" not in self.errors:
            self.add_error("offence", f"{self.row_name}Choose the offence")
        return data

    def to_input(self) -> OffenceInput:
        return OffenceInput(offence=self.cleaned_data["offence"], is_aggravated=self.cleaned_data["is_aggravated"])


EQUALITY_FIELDS = ("ethnicity", "sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation")


class PersonForm(RowForm):
    row_label = "Person"
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Choose a role"), *PersonRole.choices])
    given_name = forms.CharField(label="Given name", required=False, max_length=200)
    family_name = forms.CharField(label="Family name", required=False, max_length=200)
    date_of_birth = GovDateField(label="Date of birth", help_text="For example, 31 8 1985")
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    email = forms.EmailField(
        label="Email address", required=False, max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    address = forms.CharField(label="Address", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    ethnicity = CodeChoiceField(scheme="ethnicity", label="Ethnicity", empty_label="Not asked")
    sex = CodeChoiceField(scheme="sex", label="Sex", empty_label="Not asked")
    gender_identity = CodeChoiceField(scheme="gender_identity", label="Gender identity", empty_label="Not asked")
    age_band = CodeChoiceField(scheme="age_band", label="Age band", empty_label="Not asked")
    disability = CodeChoiceField(scheme="disability", label="Disability", empty_label="Not asked")
    religion = CodeChoiceField(scheme="religion", label="Religion or belief", empty_label="Not asked")
    sexual_orientation = CodeChoiceField(scheme="sexual_orientation", label="Sexual orientation", empty_label="Not asked")

    def clean_postcode(self) -> str:
        return _clean_postcode(self.cleaned_data.get("postcode", ""), "postcode")

    def clean_date_of_birth(self) -> date | None:
        value = self.cleaned_data.get("date_of_birth")
        if isinstance(value, date) and value > timezone.localdate():
            raise ValidationError(f"{self.row_name}Date of birth must be in the past")
        return value if isinstance(value, date) else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank() and not data.get("role") and "role" not in self.errors:
            self.add_error("role", f"{self.row_name}Choose the person's role")
        return data

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            role=data["role"],
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            date_of_birth=data.get("date_of_birth"),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            postcode=data.get("postcode", ""),
            **{name: data.get(name) for name in EQUALITY_FIELDS},
        )


StrandFormSet = forms.formset_factory(StrandForm, extra=3, max_num=3, absolute_max=3)
OffenceFormSet = forms.formset_factory(OffenceForm, extra=2, max_num=2, absolute_max=2)
PersonFormSet = forms.formset_factory(PersonForm, extra=2, max_num=2, absolute_max=2)


def filled_rows(formset: forms.BaseFormSet[Any]) -> list[Any]:
    return [form for form in formset.forms if not form.is_blank()]


# ---------------------------------------------------------------------------
# One-off actions on a record
# ---------------------------------------------------------------------------


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Choose the new status"}
    )
    reason_code = forms.ChoiceField(
        label="Why is it being closed?",
        required=False,
        help_text="Needed when closing a non-crime hate incident. A crime is closed with its Home Office outcome.",
    )
    reason = forms.CharField(
        label="Reason in your words",
        required=False,
        max_length=300,
        help_text="Needed when closing without a reason from the list, or with another reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, current_status: str, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(current_status, set())
        choice_field(self, "status").choices = [(value, label) for value, label in RecordStatus.choices if value in allowed]
        # Only the reasons for this kind of record are offered; the service checks the same rule.
        choice_field(self, "reason_code").choices = [("", "Choose a reason")] + [
            (code.code, code.label) for code in current_codes(scheme=Scheme.STATUS_REASON)
            if rules.closure_reason_applies(kind=kind, attributes=dict(code.attributes))
        ]
        self.kind = kind

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == RecordStatus.CLOSED:
            for field, message in rules.closing_errors(
                kind=self.kind, reason_code=data.get("reason_code") or "", reason=data.get("reason") or "",
                reason_attributes={},  # the choice field has already kept to current, applicable codes
            ).items():
                self.add_error(field, message)
        return data


class RemoveStrandForm(forms.Form):
    reason = forms.CharField(
        label="Why are you removing it?",
        max_length=300,
        help_text="For example, it was entered on the wrong record. The reason is kept in the record's timeline.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the strand is being removed"},
    )


class LinkForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the other record",
        max_length=32,
        help_text="For example, MPS-2026-000123",
        error_messages={"required": "Enter the reference of the record to link to"},
    )
    reason = forms.CharField(
        label="Why are they linked?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these records are linked"},
    )

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()


# ---------------------------------------------------------------------------
# Record list filters (GET)
# ---------------------------------------------------------------------------

YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SORT_CHOICES = [
    ("-reported_at", "Reported (newest first)"),
    ("reported_at", "Reported (oldest first)"),
    ("-occurred_from", "Happened (newest first)"),
    ("occurred_from", "Happened (oldest first)"),
    ("reference", "Reference (A to Z)"),
    ("-reference", "Reference (Z to A)"),
]


class RecordFilterForm(forms.Form):
    """The record list's filters. Parameter names match ``cases.selectors.RecordFilters`` fields,
    so the same query string drives the page, the CSV export and the API."""

    q = forms.CharField(label="Reference or location", required=False, max_length=100)
    strand = forms.ChoiceField(label="Strand", required=False)
    sub_category = forms.ChoiceField(label="Sub-category", required=False)
    borough = forms.ChoiceField(label="Borough", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any"), *RecordKind.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any"), *RecordStatus.choices])
    reported_from = forms.DateField(
        label="Reported from", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Reported from must be a real date, like 2026-03-27"},
    )
    reported_to = forms.DateField(
        label="Reported to", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Reported to must be a real date, like 2026-03-27"},
    )
    is_online = forms.ChoiceField(label="Online or cyber-enabled", required=False, choices=YES_NO_ANY)
    is_domestic_abuse = forms.ChoiceField(label="Domestic abuse", required=False, choices=YES_NO_ANY)
    is_asb_related = forms.ChoiceField(label="Anti-social behaviour related", required=False, choices=YES_NO_ANY)
    is_alcohol_drug_related = forms.ChoiceField(label="Alcohol or drug related", required=False, choices=YES_NO_ANY)
    flagged = forms.ChoiceField(label="Has a strand of hate", required=False, choices=YES_NO_ANY)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "strand").choices = code_choices("strand", "Any")
        choice_field(self, "sub_category").choices = sub_category_choices(empty_label="Any")
        choice_field(self, "borough").choices = code_choices("borough", "Any")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and end < start:
            self.add_error("reported_to", "Reported to must be the same as or after reported from")
        return data

    def to_filters(self) -> RecordFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}

        def yes_no(name: str) -> bool | None:
            value = data.get(name) or ""
            return {"yes": True, "no": False}.get(value)

        sort = data.get("sort") or "-reported_at"
        return RecordFilters(
            q=data.get("q", ""),
            strand=data.get("strand", ""),
            sub_category=data.get("sub_category", ""),
            borough=data.get("borough", ""),
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            reported_from=data.get("reported_from"),
            reported_to=data.get("reported_to"),
            is_online=yes_no("is_online"),
            is_domestic_abuse=yes_no("is_domestic_abuse"),
            is_asb_related=yes_no("is_asb_related"),
            is_alcohol_drug_related=yes_no("is_alcohol_drug_related"),
            flagged=yes_no("flagged"),
            sort=sort if sort in SORTS else "-reported_at",
        )


def record_filters_from_query(query: Any) -> RecordFilters:
    """The filters a record list query string asks for (invalid values are ignored).

    For other pages that take the list's query string, e.g. the CSV export.
    """
    return RecordFilterForm(query).to_filters()
