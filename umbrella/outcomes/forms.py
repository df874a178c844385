from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms

from umbrella.agencies.models import Organisation
from umbrella.cases.forms import RecordFilterForm
from umbrella.cases.selectors import VICTIM_EQUALITY, RecordFilters
from umbrella.outcomes.models import (
    ChargingDecisionKind,
    CourtResultKind,
    Decider,
    HearingKind,
    Plea,
    ReviewResult,
    ReviewScheme,
)
from umbrella.outcomes.selectors import outcome_choices
from umbrella.reference.fields import code_choices
from umbrella.reference.models import Scheme
from umbrella.reference.selectors import current_codes
from umbrella.web.forms import GovDateField, choice_field


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is the outcome?",
        help_text="The Home Office outcome type.",
        error_messages={"required": "Select the outcome from the list", "invalid_choice": "Select the outcome from the list"},
    )
    decided_on = GovDateField(label="When was the outcome decided?", required=True,
                              help_text="For example, 27 3 2026")
    suspect_identified = forms.ChoiceField(
        label="Was a suspect identified?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if a suspect was identified"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Select an outcome")] + [
            (code.code, f"{code.attributes['number']}: {code.label}" if "number" in code.attributes else code.label)
            for code in outcome_choices()
        ]


class ChargingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What was decided?",
        choices=ChargingDecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the charging decision", "invalid_choice": "Select the charging decision"},
    )
    decided_by = forms.ChoiceField(
        label="Who decided?",
        choices=Decider.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the decision", "invalid_choice": "Select who made the decision"},
    )
    decided_on = GovDateField(label="When was it decided?", required=True, help_text="For example, 27 3 2026")


class CourtHearingForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of hearing?", choices=HearingKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of hearing", "invalid_choice": "Select the kind of hearing"},
    )
    heard_on = GovDateField(
        label="When is or was it?", required=True, help_text="A listed hearing may be ahead. For example, 27 3 2026",
    )
    plea = forms.ChoiceField(
        label="What plea was entered?", choices=Plea.choices, widget=forms.RadioSelect, required=False,
        help_text="Only once the hearing has happened.",
        error_messages={"invalid_choice": "Select the plea, or that none was entered"},
    )


class CourtResultForm(forms.Form):
    result = forms.ChoiceField(
        label="What did the court decide?",
        choices=CourtResultKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the court's result", "invalid_choice": "Select the court's result"},
    )
    decided_on = GovDateField(label="When?", required=True, help_text="For example, 27 3 2026")
    offence = forms.ChoiceField(
        label="Offence convicted of", required=False, help_text="For a conviction only.",
        error_messages={"invalid_choice": "Select the offence from the list"},
    )
    sentence = forms.CharField(label="Sentence", required=False, max_length=200, help_text="For a conviction only.")
    uplift = forms.ChoiceField(
        label="Did the court increase the sentence for hostility (section 66 Sentencing Act 2020)?",
        required=False,
        choices=[("no", "No"), ("applied", "Yes"), ("announced", "Yes, and it said so in open court")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offence"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Select an offence")] + [
            (code.code, f"{code.code}: {code.label}") for code in current_codes(scheme=Scheme.OFFENCE)
        ]


class ReviewRequestForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Whose scheme did the victim ask under?",
        choices=ReviewScheme.choices,
        widget=forms.RadioSelect,
        help_text="The police review their own decisions not to charge; the CPS reviews its decisions.",
        error_messages={"required": "Select whose scheme the victim asked under",
                        "invalid_choice": "Select whose scheme the victim asked under"},
    )
    requested_on = GovDateField(label="When did the victim ask?", required=True, help_text="For example, 27 3 2026")


class ReviewDecisionForm(forms.Form):
    result = forms.ChoiceField(
        label="What was the result of the review?",
        choices=ReviewResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the review's result", "invalid_choice": "Select the review's result"},
    )
    decided_on = GovDateField(label="When was the review decided?", required=True, help_text="For example, 27 3 2026")


def organisation_choices() -> list[tuple[str, str]]:
    return list(Organisation.objects.filter(is_active=True).order_by("name").values_list("slug", "name"))


class FunnelFilterForm(RecordFilterForm):
    """The record list's filters, and the victim's equality monitoring, so the funnel shows whether
    some victims' cases drop out more than others (where the victim gave it)."""

    victim_ethnicity = forms.ChoiceField(label="Victim's ethnicity", required=False)
    victim_sex = forms.ChoiceField(label="Victim's sex", required=False)
    victim_age_band = forms.ChoiceField(label="Victim's age", required=False)
    victim_disability = forms.ChoiceField(label="Victim's disability", required=False)
    victim_religion = forms.ChoiceField(label="Victim's religion or belief", required=False)
    organisation = forms.ChoiceField(label="Organisation", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, scheme in VICTIM_EQUALITY.items():
            choice_field(self, name).choices = code_choices(scheme, "Any")
        # Organisations are public; which of their records count is still the reader's scope.
        choice_field(self, "organisation").choices = [("", "Any"), *organisation_choices()]

    def to_filters(self) -> RecordFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return replace(
            super().to_filters(), organisation=data.get("organisation", ""),
            **{name: data.get(name, "") for name in VICTIM_EQUALITY},
        )


def funnel_filters_from_query(query: Any) -> RecordFilters:
    """The filters a funnel query string asks for (invalid values are ignored), e.g. for the command."""
    return FunnelFilterForm(query).to_filters()
