from __future__ import annotations

from typing import Any

from django import forms

from umbrella.outcomes.models import ChargingDecisionKind, Decider
from umbrella.outcomes.selectors import outcome_choices
from umbrella.web.forms import GovDateField


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
