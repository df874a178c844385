"""Forms of the review pages: queue filters and the decision on one item."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.cases.forms import StrandForm
from umbrella.cases.models import EvidentialAssessment, RecordKind, RecordStrand
from umbrella.reference.selectors import current_codes
from umbrella.review.models import ReviewReason, SubjectNotification, Suggestion
from umbrella.review.selectors import PERIODS, QueueFilters
from umbrella.review.services import AssessmentInput, DecisionInput, NchiAnswers, SubCategoryInput

YES_NO = [("yes", "Yes"), ("no", "No")]


class QueueFilterForm(forms.Form):
    overdue = forms.ChoiceField(
        label="Due", required=False,
        choices=[("", "Any time"), ("yes", "Overdue"), ("no", "Not yet overdue")],
    )
    reason = forms.ChoiceField(label="Why it is in the queue", required=False, choices=[("", "Any reason"), *ReviewReason.choices])
    team = forms.ChoiceField(label="Team", required=False)
    borough = forms.ChoiceField(label="Borough", required=False)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], boroughs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        borough_field = self.fields["borough"]
        assert isinstance(team_field, forms.ChoiceField) and isinstance(borough_field, forms.ChoiceField)
        team_field.choices = [("", "Any team"), *((str(pk), name) for pk, name in teams)]
        borough_field.choices = [("", "Any borough"), *boroughs]

    def to_filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        team = data.get("team") or ""
        return QueueFilters(
            overdue=overdue, reason=data.get("reason") or "", team_id=int(team) if team else None,
            borough=data.get("borough") or "",
        )


class PeriodForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Period", required=False, coerce=int, empty_value=None,
        choices=[(str(days), label) for days, label in PERIODS.items()],
    )


class AddStrandForm(StrandForm):
    """Optional: one strand (with sub-category) the reviewer adds."""

    row_label = "Strand to add"


class DecisionForm(forms.Form):
    row_version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="What kind of record is this?", choices=RecordKind.choices, widget=forms.RadioSelect)
    is_online = forms.ChoiceField(
        label="Is it online or cyber-enabled?", choices=YES_NO, widget=forms.RadioSelect,
        help_text="Any part of the offence or incident was committed online or through a device.",
    )
    nchi_risk_of_harm = forms.ChoiceField(
        label="Is there a real risk of significant harm to individuals or a group with the protected characteristic?",
        choices=YES_NO, widget=forms.RadioSelect, required=False,
    )
    nchi_risk_of_offence = forms.ChoiceField(
        label="Is there a real risk that a future criminal offence may be committed against them?",
        choices=YES_NO, widget=forms.RadioSelect, required=False,
    )
    nchi_expression_considered = forms.BooleanField(
        label="I have considered freedom of expression: debate, humour, satire and lawfully expressed views "
              "are not, by themselves, grounds to record",
        required=False,
    )
    nchi_subject_notification = forms.ChoiceField(
        label="Is the subject told that the incident was recorded?",
        choices=SubjectNotification.choices, widget=forms.RadioSelect, required=False,
        help_text="Only where the record names a subject and either risk keeps their details. They are told "
                  "and may reply, unless telling them would put the person who reported it at risk.",
    )
    accepted_suggestions = forms.MultipleChoiceField(
        label="Which suggestions were right?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Suggestions you do not tick are recorded as rejected. This trains the next model.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, strands: list[RecordStrand], suggestions: list[Suggestion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        accepted = self.fields["accepted_suggestions"]
        assert isinstance(accepted, forms.MultipleChoiceField)
        accepted.choices = [(str(s.pk), suggestion_label(s)) for s in suggestions]
        # One evidential assessment per strand, beside the perception (which stays as it is), and
        # its sub-category, which a reviewer may correct.
        self.strand_rows = strands
        subs = list(current_codes(scheme="sub_category"))
        self.sub_codes = {c.code: c for c in subs}
        for row in strands:
            name = strand_label(row)
            options = [(c.code, c.label) for c in subs if c.parent_code == row.strand.code]
            if options:
                self.fields[f"sub_{row.pk}"] = forms.ChoiceField(
                    label=f"Sub-category of {row.strand.label}", required=False,
                    choices=[("", "No sub-category"), *options],
                    initial=row.sub_category.code if row.sub_category else "",
                )
            self.fields[f"assess_{row.pk}"] = forms.ChoiceField(
                label=f"{name}: what does the evidence show?",
                choices=EvidentialAssessment.choices, widget=forms.RadioSelect, required=False,
                help_text=f"Perceived by {row.perceiver.label.lower()}. The strand stays on the record whatever you choose.",
            )
            self.fields[f"assess_{row.pk}_reason"] = forms.CharField(
                label=f"Reason for your assessment of {name}", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def assessment_fields(self) -> list[tuple[forms.BoundField | None, forms.BoundField, forms.BoundField]]:
        return [
            (
                self[f"sub_{row.pk}"] if f"sub_{row.pk}" in self.fields else None,
                self[f"assess_{row.pk}"],
                self[f"assess_{row.pk}_reason"],
            )
            for row in self.strand_rows
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == RecordKind.NCHI:
            for name in ("nchi_risk_of_harm", "nchi_risk_of_offence"):
                if not data.get(name):
                    self.add_error(name, "Answer this NCHI recording threshold")
            if not data.get("nchi_expression_considered"):
                self.add_error("nchi_expression_considered", "Confirm that you have considered freedom of expression")
        for row in self.strand_rows:
            if data.get(f"assess_{row.pk}") and not (data.get(f"assess_{row.pk}_reason") or "").strip():
                self.add_error(f"assess_{row.pk}_reason", f"Enter the reason for your assessment of {strand_label(row)}")
        return data

    def to_input(self, add: AddStrandForm) -> DecisionInput:
        data = self.cleaned_data
        nchi = None
        if data["kind"] == RecordKind.NCHI:
            nchi = NchiAnswers(
                risk_of_harm=data["nchi_risk_of_harm"] == "yes",
                risk_of_offence=data["nchi_risk_of_offence"] == "yes",
                expression_considered=bool(data["nchi_expression_considered"]),
                subject_notification=data.get("nchi_subject_notification") or "",
            )
        return DecisionInput(
            row_version=data["row_version"],
            kind=data["kind"],
            is_online=data["is_online"] == "yes",
            add_strands=() if add.is_blank() else (add.to_input(),),
            assessments=tuple(
                AssessmentInput(
                    strand_id=row.pk, assessment=data[f"assess_{row.pk}"], reason=data.get(f"assess_{row.pk}_reason", "")
                )
                for row in self.strand_rows
                if data.get(f"assess_{row.pk}")
            ),
            sub_categories=tuple(
                SubCategoryInput(strand_id=row.pk, sub_category=self.sub_codes.get(data[f"sub_{row.pk}"] or ""))
                for row in self.strand_rows
                # Only what the reviewer was shown and sent: a field missing from the post changes nothing.
                if f"sub_{row.pk}" in data and f"sub_{row.pk}" in self.data
            ),
            nchi=nchi,
            accepted_suggestion_ids=tuple(int(pk) for pk in data.get("accepted_suggestions", [])),
            note=data.get("note", ""),
        )


def strand_label(row: RecordStrand) -> str:
    return row.strand.label + (f" ({row.sub_category.label})" if row.sub_category else "")


def suggestion_label(suggestion: Suggestion) -> str:
    what = suggestion.get_kind_display()
    if suggestion.strand_code:
        what = f"{what} ({suggestion.strand_code.replace('_', ' ')})"
    return f"{what}: {round(suggestion.probability * 100)}% from {suggestion.source_name} {suggestion.source_version}"
