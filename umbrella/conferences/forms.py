"""Forms of the conference pages. They parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.agencies.models import Organisation
from umbrella.conferences.models import (
    CONFERENCE_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    ConferenceStatus,
    Criterion,
    ReferralStatus,
)
from umbrella.conferences.services import NON_ATTENDING_KINDS
from umbrella.web.forms import GovDateField, GovDateTimeField, choice_field


class ConferenceForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="For example, Haringey hate crime risk conference, March",
        error_messages={"required": "Enter a title for the conference"},
    )
    meets_at = GovDateTimeField(label="When it meets", required=True, help_text="For example, 27 3 2026 10 00")
    location = forms.CharField(label="Where it meets", max_length=300, required=False)
    is_online = forms.BooleanField(label="It meets online (or online as well)", required=False)
    borough_code = forms.ChoiceField(label="Borough (optional)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from umbrella.reference.selectors import current_codes

        boroughs: Any = [("", "Not in one borough"), *((c.code, c.label) for c in current_codes(scheme="borough"))]
        self.fields["borough_code"].choices = boroughs  # type: ignore[attr-defined]


class ConferenceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Choose the new status"}
    )

    def __init__(self, *args: Any, current_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = CONFERENCE_TRANSITIONS.get(current_status, set())
        choice_field(self, "status").choices = [(v, label) for v, label in ConferenceStatus.choices if v in allowed]


def attendee_organisations() -> list[tuple[str, str]]:
    rows = Organisation.objects.filter(is_active=True).exclude(kind__in=NON_ATTENDING_KINDS).order_by("name")
    return [("", "Choose an organisation"), *((str(o.pk), o.name) for o in rows)]


class AttendeeForm(forms.Form):
    organisation = forms.ChoiceField(label="Organisation", error_messages={"required": "Choose an organisation"})
    role_note = forms.CharField(
        label="Role at the conference (optional)", max_length=200, required=False,
        help_text="For example, housing officer for the estate",
    )
    attended = forms.BooleanField(label="They attended", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").choices = attendee_organisations()


class ReferralForm(forms.Form):
    conference = forms.ChoiceField(
        label="Conference", error_messages={"required": "Choose the conference to refer the case to"}
    )
    criteria = forms.MultipleChoiceField(
        label="Which referral criteria does the case meet?",
        choices=Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Choose at least one referral criterion"},
    )
    rationale = forms.CharField(
        label="Why the case should be discussed", required=False, max_length=4000,
        help_text="Needed for professional judgement and escalation.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary = forms.CharField(
        label="Agenda summary for the attending agencies", required=False, max_length=4000,
        help_text="Attending agencies that cannot open the record see only this. Share only what they need.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, conferences: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "conference").choices = [("", "Choose a conference"), *conferences]


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Choose the new status"}
    )

    def __init__(self, *args: Any, current_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = REFERRAL_TRANSITIONS.get(current_status, set())
        choice_field(self, "status").choices = [(v, label) for v, label in ReferralStatus.choices if v in allowed]


class InformationForm(forms.Form):
    text = forms.CharField(
        label="Information your organisation shares for this case", max_length=8000,
        help_text="Only the organisations attending this conference will see it.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the information your organisation is sharing"},
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action agreed", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action agreed"},
    )
    assigned_organisation = forms.ChoiceField(
        label="Organisation responsible", error_messages={"required": "Choose the organisation responsible"}
    )
    due_on = GovDateField(label="Due date", required=True, help_text="For example, 27 3 2026")

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "assigned_organisation").choices = [("", "Choose an organisation"), *organisations]


class MinutesForm(forms.Form):
    text = forms.CharField(
        label="Minutes", max_length=50000, widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "Enter the minutes"},
    )
