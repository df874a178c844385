"""Forms for triage decisions, centre intake, notes and consent."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.consent.models import ConsentMethod, ConsentScope
from umbrella.consent.services import KEEP_BASES, STANDARD_CONSENT_WORDS
from umbrella.intake.answers import ReportAnswers
from umbrella.reference.selectors import current_codes
from umbrella.web.forms import GovDateField

REQUIRED = "Enter {}"


class AcceptForm(forms.Form):
    """Accepting a report makes a record through the same rules as every other route: when the
    report does not say where it happened or why (strand), the triager adds it here."""

    kind = forms.ChoiceField(
        label="What should the record be?",
        choices=[("hate_crime", "Hate crime"), ("nchi", "Non-crime hate incident")],
        widget=forms.RadioSelect, error_messages={"required": "Choose hate crime or non-crime hate incident"},
    )
    borough = forms.ChoiceField(
        label="Borough where it happened", required=False,
        help_text="Needed when the report does not name one and it did not happen online.",
    )
    strands = forms.MultipleChoiceField(
        label="Strands of hate the victim or reporter perceived", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Added to any the report names. Needed when the report names none.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        borough, strands = self.fields["borough"], self.fields["strands"]
        assert isinstance(borough, forms.ChoiceField) and isinstance(strands, forms.MultipleChoiceField)
        borough.choices = [("", "As in the report"), *_codes("borough")]
        strands.choices = _codes("strand")


class LinkForm(forms.Form):
    record_reference = forms.CharField(
        label="Reference of the existing record", max_length=32,
        help_text="For example, MPS-2026-000123", error_messages={"required": "Enter the record's reference"},
    )


class MergeForm(forms.Form):
    into_reference = forms.CharField(
        label="Reference of the report this duplicates", max_length=16,
        help_text="For example, UMB-7K3QX9", error_messages={"required": "Enter the other report's reference"},
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why is this not a hate report?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this is not a hate report"},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Case note", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note"},
    )


METHOD_CHOICES = [(m.value, m.label) for m in ConsentMethod]
SCOPE_CHOICES = [(s.value, s.label) for s in ConsentScope]


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label="What is the victim deciding about?", choices=SCOPE_CHOICES,
                              widget=forms.RadioSelect, error_messages={"required": "Choose what the victim is deciding about"})
    decision = forms.ChoiceField(label="Their decision", choices=[("given", "Consent given"), ("refused", "Consent refused")],
                                 widget=forms.RadioSelect, error_messages={"required": "Choose whether consent was given or refused"})
    method = forms.ChoiceField(label="How was consent given?", choices=METHOD_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": "Choose how consent was given"})
    words_shown = forms.CharField(label="The words you showed or read to the victim", max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter the words you showed or read to the victim"})


class WithdrawForm(forms.Form):
    scope = forms.ChoiceField(label="Which consent is the victim withdrawing?", choices=SCOPE_CHOICES,
                              widget=forms.RadioSelect, error_messages={"required": "Choose which consent is withdrawn"})
    method = forms.ChoiceField(label="How did they tell you?", choices=METHOD_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": "Choose how the victim withdrew consent"})
    reason = forms.CharField(label="Reason given", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why the victim withdrew consent"})
    keep_basis = forms.ChoiceField(
        label="Can the police keep what was already shared?", required=False, widget=forms.RadioSelect,
        choices=[("", "No: revoke every share made on this consent"), *KEEP_BASES.items()],
        help_text="Only keep a share when the law allows it without consent.",
    )


def _codes(scheme: str) -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in current_codes(scheme=scheme).order_by("label")]


class CentreIntakeForm(forms.Form):
    """The public journey's questions on one long page, for a caseworker recording for a victim."""

    channel = forms.ChoiceField(label="How is the victim reporting?", widget=forms.RadioSelect,
                                choices=[("in_person", "In person"), ("phone", "Phone"), ("helpline", "Helpline")],
                                error_messages={"required": "Choose how the victim is reporting"})
    reporter_role = forms.ChoiceField(
        label="Who is reporting?", widget=forms.RadioSelect,
        choices=[("victim", "The victim"), ("witness", "A witness"), ("on_behalf", "Someone on the victim's behalf"),
                 ("organisation", "An organisation")],
        error_messages={"required": "Choose who is reporting"},
    )
    narrative = forms.CharField(label="What happened, in their own words", max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "Enter what happened"})
    words_used = forms.CharField(label="Words used, if any", required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    occurred_on = GovDateField(label="When did it happen?", help_text="For example, 27 3 2026")
    occurred_time_text = forms.CharField(label="Time, if known", required=False, max_length=100)
    location_description = forms.CharField(label="Where did it happen? (place or street)", required=False, max_length=300)
    postcode = forms.CharField(label="Postcode, if known", required=False, max_length=10)
    borough_code = forms.ChoiceField(label="Borough", required=False)
    location_type_code = forms.ChoiceField(label="Type of place", required=False)
    online_platform_code = forms.ChoiceField(label="Online platform, if it happened online", required=False)
    online_link = forms.URLField(assume_scheme="https", label="Link to the post or message", required=False, max_length=500,
                                 error_messages={"invalid": "Enter a link starting with https://"})
    strands = forms.MultipleChoiceField(label="Why do they think it was motivated by hostility?", required=False,
                                        widget=forms.CheckboxSelectMultiple)
    strand_other_text = forms.CharField(label="Something else, in their own words", required=False, max_length=500)
    offender_description = forms.CharField(label="Who did it? Description", required=False, max_length=2000,
                                           widget=forms.Textarea(attrs={"rows": 2}))
    offender_known = forms.ChoiceField(label="Do they know who did it?", required=False, widget=forms.RadioSelect,
                                       choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")])
    injury = forms.CharField(label="Injuries", required=False, max_length=1000)
    damage = forms.CharField(label="Damage", required=False, max_length=1000)
    loss = forms.CharField(label="Loss", required=False, max_length=1000)
    interpreter_language = forms.CharField(label="Interpreter needed? Language", required=False, max_length=100)
    accessibility_needs = forms.CharField(label="Accessibility needs", required=False, max_length=500)
    other_needs = forms.CharField(label="Other support needs", required=False, max_length=500)
    anonymous = forms.BooleanField(label="The victim wants to stay anonymous", required=False)
    contact_name = forms.CharField(label="Name", required=False, max_length=200)
    contact_email = forms.EmailField(label="Email address", required=False,
                                     error_messages={"invalid": "Enter an email address like name@example.com"})
    contact_phone = forms.CharField(label="Phone number", required=False, max_length=40)
    contact_preferred_method = forms.ChoiceField(
        label="Preferred way to contact them", required=False, widget=forms.RadioSelect,
        choices=[("email", "Email"), ("phone", "Phone"), ("text", "Text message"), ("letter", "Letter")],
    )
    contact_safe_times = forms.CharField(label="When is it safe to contact them?", required=False, max_length=200)
    voicemail_safe = forms.BooleanField(label="It is safe to leave a voicemail", required=False)
    letter_safe = forms.BooleanField(label="It is safe to send a letter", required=False)
    consents = forms.MultipleChoiceField(
        label="What has the victim agreed to?", required=False, widget=forms.CheckboxSelectMultiple,
        choices=SCOPE_CHOICES, help_text="Read each option to the victim. Anything not ticked is recorded as refused.",
    )
    accept_now = forms.BooleanField(label="Create a centre record now (skip the triage queue)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "Not known")]
        for name, scheme in (("borough_code", "borough"), ("location_type_code", "location_type"),
                             ("online_platform_code", "online_platform")):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = blank + _codes(scheme)
        strands = self.fields["strands"]
        assert isinstance(strands, forms.MultipleChoiceField)
        strands.choices = _codes("strand")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("anonymous") and not (data.get("contact_name") or data.get("contact_email")
                                               or data.get("contact_phone")):
            self.add_error("contact_name", "Enter the victim's name or contact details, or tick anonymous")
        return data

    def to_answers(self, *, centre_slug: str) -> ReportAnswers:
        data = self.cleaned_data
        chosen = set(data.get("consents") or [])
        text = {name: str(data.get(name) or "").strip() for name in self.fields}
        return ReportAnswers(
            reporter_role=data["reporter_role"], narrative=text["narrative"], words_used=text["words_used"],
            occurred_on=data.get("occurred_on"), occurred_time_text=text["occurred_time_text"],
            location_description=text["location_description"], postcode=text["postcode"],
            borough_code=text["borough_code"], location_type_code=text["location_type_code"],
            is_online=bool(data.get("online_platform_code")), online_platform_code=text["online_platform_code"],
            online_link=text["online_link"], strands=tuple(data.get("strands") or ()),
            strand_other_text=text["strand_other_text"], offender_description=text["offender_description"],
            offender_known=text["offender_known"], injury=text["injury"], damage=text["damage"], loss=text["loss"],
            interpreter_language=text["interpreter_language"], accessibility_needs=text["accessibility_needs"],
            other_needs=text["other_needs"], anonymous=bool(data.get("anonymous")),
            contact_name="" if data.get("anonymous") else text["contact_name"],
            contact_email="" if data.get("anonymous") else text["contact_email"],
            contact_phone="" if data.get("anonymous") else text["contact_phone"],
            contact_preferred_method=text["contact_preferred_method"], contact_safe_times=text["contact_safe_times"],
            voicemail_safe=bool(data.get("voicemail_safe")), letter_safe=bool(data.get("letter_safe")),
            destination="centre", centre_slug=centre_slug,
            consents={scope.value: scope.value in chosen for scope in ConsentScope},
            consent_words={scope.value: STANDARD_CONSENT_WORDS[scope] for scope in ConsentScope},
        )
