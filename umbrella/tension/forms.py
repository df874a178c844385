"""The form that adds an event to the register."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from umbrella.reference.fields import code_choices
from umbrella.statistics.forms import MonthField, months_back
from umbrella.tension.models import EventScope, TensionLevel
from umbrella.web.forms import GovDateField, choice_field


class TriggerEventForm(forms.Form):
    name = forms.CharField(label="What happened?", max_length=200, error_messages={"required": "Enter what happened"})
    starts_on = GovDateField(label="When did it start?", required=True, help_text="For example, 27 3 2026")
    ends_on = GovDateField(label="When did it end? (optional)", required=False, help_text="Leave blank if it has not ended")
    scope = forms.ChoiceField(label="Where?", choices=EventScope.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Choose whether it is international, national or local"})
    area = forms.ChoiceField(label="Borough (for a local event)", required=False)
    strands = forms.MultipleChoiceField(label="Strands of hate likely to be affected", widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": "Choose the strands of hate likely to be affected"})
    communities = forms.CharField(label="Communities likely to be affected (optional)", required=False, max_length=300)
    source = forms.URLField(label="Where it was reported (optional)", required=False, max_length=500,
                            help_text="A link to a news report or statement", assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = code_choices("borough", "All of London")()
        choice_field(self, "strands").choices = code_choices("strand", "")()[1:]


class TensionReportForm(forms.Form):
    observed_on = GovDateField(label="When did you hear it?", required=True, help_text="For example, 27 3 2026")
    area = forms.ChoiceField(label="Where?")
    strands = forms.MultipleChoiceField(label="Strands of hate it concerns", widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": "Choose the strands of hate it concerns"})
    level = forms.ChoiceField(label="How high is the tension?", choices=TensionLevel.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Choose how high the tension is"})
    summary = forms.CharField(label="What are you hearing in the community?", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="Kept within your organisation until you share it. Name no one unless you must.",
                              error_messages={"required": "Enter what you are hearing in the community"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = [("london", "All of London"), *code_choices("borough", "")()[1:]]
        choice_field(self, "strands").choices = code_choices("strand", "")()[1:]


class HotspotForm(forms.Form):
    """The month (by default the last whole one) and strand the hotspots are judged for."""

    month = MonthField(label="Month", required=False, help_text="For example, 2026-11")
    strand = forms.ChoiceField(label="Strand", required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "strand").choices = code_choices("strand", "Every strand")
        self.default_month = months_back(today.replace(day=1), 2)

    def chosen_month(self) -> date:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("month") or self.default_month

    def chosen_strand(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return str(data.get("strand") or "")
