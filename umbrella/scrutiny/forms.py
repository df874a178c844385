"""The panel's feedback form and the force's answer."""

from __future__ import annotations

from django import forms

from umbrella.scrutiny.models import QUESTIONS, Answer


class FeedbackForm(forms.Form):
    flag_right = forms.ChoiceField(label=QUESTIONS["flag_right"], choices=Answer.choices, widget=forms.RadioSelect,
                                   error_messages={"required": "Answer the question"})
    victim_kept_informed = forms.ChoiceField(label=QUESTIONS["victim_kept_informed"], choices=Answer.choices,
                                             widget=forms.RadioSelect, error_messages={"required": "Answer the question"})
    outcome_explained = forms.ChoiceField(label=QUESTIONS["outcome_explained"], choices=Answer.choices,
                                          widget=forms.RadioSelect, error_messages={"required": "Answer the question"})
    risk_handled = forms.ChoiceField(label=QUESTIONS["risk_handled"], choices=Answer.choices, widget=forms.RadioSelect,
                                     error_messages={"required": "Answer the question"})
    comments = forms.CharField(label="Comments for the force (optional)", required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="Do not name anyone: the force reads these beside its own case.")


class ResponseForm(forms.Form):
    response = forms.CharField(label="Your answer to the panel", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "Enter your answer to the panel"})
