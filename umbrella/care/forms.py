"""Forms of the care pages. They parse; the services decide (consent, permissions, timers)."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.care.models import ContactMethod, KeyEvent
from umbrella.care.services import DESTINATION_SCOPES
from umbrella.web.forms import GovDateTimeField


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label="Refer to", queryset=Organisation.objects.none(), empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation to refer to", "invalid_choice": "Choose the organisation to refer to"},
    )
    reason = forms.CharField(
        label="Why are you referring the victim?", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        error_messages={"required": "Enter why the victim is being referred"},
    )
    consent_reference = forms.CharField(
        label="Consent reference (optional)", required=False, max_length=40,
        help_text="For example, CONSENT-123. Leave blank to use the victim's consent in force for this organisation.",
    )
    override_reason = forms.CharField(
        label="Reason for referring without consent (supervisors and investigators only)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text="Only if the victim has not consented. Your organisation's supervisors will be alerted.",
    )

    def __init__(self, *args: Any, record_organisation_id: int, police_crime: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        # A police crime's file may also go to the Crown Prosecution Service, without consent.
        kinds = [*DESTINATION_SCOPES, *([OrganisationKind.CPS] if police_crime else [])]
        field.queryset = Organisation.objects.filter(is_active=True, kind__in=kinds).exclude(
            pk=record_organisation_id
        ).order_by("name")


class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label="How was the victim contacted?", choices=ContactMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose how the victim was contacted"},
    )
    summary = forms.CharField(
        label="What was the victim told?", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        error_messages={"required": "Enter what the victim was told"},
    )
    contacted_at = GovDateTimeField(label="When was the contact?", help_text="Leave blank for now. For example, 27 3 2026 14 30")


class KeyEventForm(forms.Form):
    event = forms.ChoiceField(
        label="What happened?", widget=forms.RadioSelect,
        # An outcome is recorded on the outcome page, which starts its own timer.
        choices=[(value, label) for value, label in KeyEvent.choices if value != KeyEvent.OUTCOME],
        error_messages={"required": "Choose the key event"},
    )
    occurred_at = GovDateTimeField(label="When did it happen?", help_text="Leave blank for now. For example, 27 3 2026 14 30")


class EligibilityForm(forms.Form):
    most_serious_crime = forms.BooleanField(label="Victim of the most serious crime (includes hate crime)", required=False)
    persistently_targeted = forms.BooleanField(label="Persistently targeted", required=False)
    vulnerable_or_intimidated = forms.BooleanField(label="Vulnerable or intimidated", required=False)
    opted_out_of_referral = forms.BooleanField(label="The victim does not want to be referred to victim services", required=False)


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Why are you declining the referral?", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        error_messages={"required": "Enter why the referral is declined"},
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="What was the outcome?", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        error_messages={"required": "Enter the outcome of the referral"},
    )


class WorklistFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label="Show work for", required=False, widget=forms.RadioSelect,
        choices=[("mine", "Me"), ("team", "My team"), ("organisation", "My organisation")],
    )
