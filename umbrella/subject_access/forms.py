from __future__ import annotations

from django import forms

from umbrella.subject_access.models import ExtensionGround, RequestKind, RequestStatus
from umbrella.web.forms import GovDateField


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the person asking for?", widget=forms.RadioSelect,
        choices=[(RequestKind.ACCESS, "A copy of their data (subject access)"),
                 (RequestKind.RECTIFICATION, "To correct their data (rectification)"),
                 (RequestKind.ERASURE, "To erase their data (erasure)")],
        error_messages={"required": "Choose what the person is asking for"},
    )
    received_on = GovDateField(label="When was the request received?", required=True,
                               help_text="The deadline is one calendar month from this day. For example, 27 3 2026")
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    date_of_birth = GovDateField(label="Date of birth", help_text="For example, 12 4 1990")
    email = forms.EmailField(label="E-mail address", max_length=200, required=False,
                             error_messages={"invalid": "Enter an e-mail address like name@example.org"})
    phone = forms.CharField(label="Phone number", max_length=40, required=False)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="How was the request answered?", widget=forms.RadioSelect,
        choices=[(RequestStatus.COMPLETED, "Completed"), (RequestStatus.REFUSED, "Refused")],
        error_messages={"required": "Choose completed or refused"},
    )
    reason = forms.CharField(
        label="What was done, or why it was refused", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: bundle sent by secure e-mail; date of birth corrected; refused as manifestly unfounded.",
        error_messages={"required": "Say what was done, or why the request is refused"},
    )


class ExtendForm(forms.Form):
    ground = forms.ChoiceField(
        label="Why does the request need longer?", widget=forms.RadioSelect,
        choices=[(ExtensionGround.COMPLEX, "It is complex"), (ExtensionGround.NUMEROUS, "The person has made a number of requests")],
        help_text="The deadline moves two months on. Tell the person, and why, before the first month ends.",
        error_messages={"required": "Choose why the request needs longer"},
    )
