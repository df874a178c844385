from __future__ import annotations

from django import forms

from umbrella.web.forms import GovDateField


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What should happen to the record?", widget=forms.RadioSelect,
        choices=[("retain", "Keep it until a later review"), ("dispose", "Dispose of its personal data and free text")],
        error_messages={"required": "Choose whether to keep the record or dispose of it"},
    )
    reason = forms.CharField(
        label="Why", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The purpose it still serves, or why none remains. Do not name anyone.",
        error_messages={"required": "Enter why"},
    )
    next_review_on = GovDateField(label="Next review (if you keep it)", required=False,
                                  help_text="For example, 27 3 2028")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decision") == "retain" and not data.get("next_review_on"):
            self.add_error("next_review_on", "Enter the date of the next review")
        return data


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Place a legal hold", max_length=300,
        help_text="Why it must be kept whatever the schedule says: a claim, an inquiry, a complaint. Do not name anyone.",
        error_messages={"required": "Enter why the record must be kept (a claim, an inquiry, a complaint)"},
    )
