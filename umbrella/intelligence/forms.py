"""The forms of the intelligence products."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.intelligence.models import ProductKind
from umbrella.reference.fields import code_choices
from umbrella.statistics.forms import MonthField
from umbrella.web.forms import choice_field


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label="What to make", choices=ProductKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose a problem profile or a tactical assessment"})
    area = forms.ChoiceField(label="Area")
    strand = forms.ChoiceField(label="Strand", required=False)
    first_month = MonthField(label="From (month)", required=True, help_text="For example, 2026-01",
                             error_messages={"required": "Enter the first month"})
    last_month = MonthField(label="To (month)", required=True, help_text="For example, 2026-11",
                            error_messages={"required": "Enter the last month"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = [("london", "All of London"), *code_choices("borough", "")()[1:]]
        choice_field(self, "strand").choices = code_choices("strand", "Every strand")


class WrittenForm(forms.Form):
    assessment = forms.CharField(label="Assessment", required=False, max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 8}),
                                 help_text="What the figures mean, and what else you know. Name no one unless you must.")
    recommendations = forms.CharField(label="Recommendations", required=False, max_length=20000,
                                      widget=forms.Textarea(attrs={"rows": 6}),
                                      help_text="Prevention, enforcement and diversion: what should be done, and by whom.")
