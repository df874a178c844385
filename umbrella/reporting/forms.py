"""One form per step of the public report journey. Field names are ReportAnswers' names.

Every text box has a length limit with a plain error message, strips bidirectional override
characters (used to disguise text) and is stored as typed otherwise; pages escape it on output.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.consent.models import ConsentScope
from umbrella.reference.models import Scheme
from umbrella.reference.selectors import current_codes
from umbrella.reporting.labels import public_label

# Embedding, override and isolate controls: they can make text read differently from what it is.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def clean_text(value: str) -> str:
    return unicodedata.normalize("NFC", value.translate(BIDI_CONTROLS)).strip()


def text(label: Any, *, max_length: int, required: bool = False, help_text: Any = "", rows: int = 0) -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    field = forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={
            "max_length": _(
                "This answer must be %(limit_value)s characters or fewer. You entered %(show_value)s characters."
            )
        },
    )
    if rows:
        # A browser stops typing and cuts a paste at maxlength without a word: a long account would
        # be shortened silently. The character count shows the limit instead, and the form refuses
        # a longer answer with an error that keeps every word for the person to shorten.
        field.widget.attrs.pop("maxlength", None)
    return field


class StepForm(forms.Form):
    """Trims and cleans every text answer."""

    # field name -> (easy-read label, easy-read hint)
    easy: dict[str, tuple[Any, Any]] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data

    def use_easy_read(self) -> None:
        for name, (label, hint) in self.easy.items():
            self.fields[name].label = label
            self.fields[name].help_text = hint

    def answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WhoForm(StepForm):
    reporter_role = forms.ChoiceField(
        label=_("Who is reporting?"),
        widget=forms.RadioSelect,
        choices=[
            ("victim", _("It happened to me")),
            ("witness", _("I saw it happen")),
            ("on_behalf", _("I am reporting for someone else")),
            ("organisation", _("I am reporting for an organisation")),
        ],
        error_messages={"required": _("Select who is reporting")},
    )
    reporter_organisation = text(_("Name of the organisation, if you are reporting for one"), max_length=200)
    easy = {"reporter_role": (_("Who are you?"), _("Pick one."))}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reporter_role") == "organisation" and not data.get("reporter_organisation"):
            self.add_error("reporter_organisation", _("Enter the name of the organisation"))
        return data


class WhatForm(StepForm):
    narrative = text(
        _("What happened?"),
        max_length=10_000,
        required=True,
        rows=8,
        help_text=_("Tell us in your own words. Include anything you think is important."),
    )
    easy = {"narrative": (_("What happened?"), _("Tell us what happened. Use your own words."))}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["narrative"].error_messages["required"] = _("Enter what happened")


class WordsForm(StepForm):
    words_used = text(
        _("What words were used, if any?"),
        max_length=5_000,
        rows=5,
        help_text=_("Write them as they were said or written, even if they are offensive. Leave this empty if none."),
    )
    easy = {"words_used": (_("What did they say or write?"), _("You can leave this empty."))}


class WhenForm(StepForm):
    day = forms.CharField(label=_("Day"), required=False, max_length=2)
    month = forms.CharField(label=_("Month"), required=False, max_length=2)
    year = forms.CharField(label=_("Year"), required=False, max_length=4)
    occurred_time_text = text(
        _("What time was it, roughly?"), max_length=100, help_text=_("For example, 9pm or early evening")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [data.get("day", ""), data.get("month", ""), data.get("year", "")]
        data["occurred_on"] = None
        if any(parts):
            try:
                when = date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                self.add_error("day", _("Date it happened must be a real date"))
                return data
            if when > timezone.localdate():
                self.add_error("day", _("Date it happened must be today or in the past"))
            elif when.year < 1900:
                self.add_error("day", _("Date it happened must be after 1900"))
            data["occurred_on"] = when.isoformat()
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"occurred_on": data["occurred_on"], "occurred_time_text": data["occurred_time_text"]}

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial = dict(answers)
        if answers.get("occurred_on"):
            year, month, day = answers["occurred_on"].split("-")
            initial.update(day=str(int(day)), month=str(int(month)), year=year)
        return initial


def _code_choices(scheme: str) -> list[tuple[str, Any]]:
    # Borough names are place names; the other lists' labels are translated where the catalogue has them.
    return [("", _("Choose if you know"))] + [
        (c.code, c.label if scheme == Scheme.BOROUGH else public_label(c.label)) for c in current_codes(scheme=scheme)]


class WhereForm(StepForm):
    is_online = forms.ChoiceField(
        label=_("Did it happen online?"),
        widget=forms.RadioSelect,
        choices=[("no", _("No, it happened in a place")), ("yes", _("Yes, it happened online"))],
        error_messages={"required": _("Select whether it happened online")},
    )
    location_description = text(_("Where did it happen?"), max_length=300, help_text=_("A place, street or building"))
    postcode = text(_("Postcode, if you know it"), max_length=10)
    borough_code = forms.ChoiceField(label=_("Borough"), required=False)
    location_type_code = forms.ChoiceField(label=_("Type of place"), required=False)
    online_platform_code = forms.ChoiceField(label=_("Website or app"), required=False)
    online_link = forms.URLField(
        label=_("Link to what was posted, if you have it"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a link in the correct format, like https://www.example.com/post")},
    )
    easy = {"is_online": (_("Was it on the internet?"), "")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["borough_code"].choices = _code_choices(Scheme.BOROUGH)
        fields["location_type_code"].choices = _code_choices(Scheme.LOCATION_TYPE)
        fields["online_platform_code"].choices = _code_choices(Scheme.ONLINE_PLATFORM)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_online") == "yes":
            if not data.get("online_platform_code") and not data.get("online_link"):
                self.add_error("online_platform_code", _("Select the website or app, or enter a link"))
        elif data.get("is_online") == "no":
            if not any(data.get(name) for name in ("location_description", "postcode", "borough_code")):
                self.add_error("location_description", _("Enter where it happened, a postcode or a borough"))
        return data

    def answers(self) -> dict[str, Any]:
        return {**self.cleaned_data, "is_online": self.cleaned_data["is_online"] == "yes"}

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        online = answers.get("is_online")
        return {**answers, "is_online": "" if online is None else ("yes" if online else "no")}


class WhyForm(StepForm):
    strands = forms.MultipleChoiceField(
        label=_("Why do you think it happened?"),
        help_text=_("Select all that apply. It is hostility or prejudice because of who someone is, or who they are thought to be."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    strand_other_text = text(_("Something else, in your own words"), max_length=1_000)
    easy = {"strands": (_("Why did they do it?"), _("Pick all that are true."))}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: Any = [(c.code, public_label(c.label)) for c in current_codes(scheme=Scheme.STRAND)]
        self.fields["strands"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("strands") and not data.get("strand_other_text"):
            self.add_error("strands", _("Select at least one reason, or tell us in your own words"))
        return data


class OffenderForm(StepForm):
    offender_description = text(
        _("Describe who did it"),
        max_length=3_000,
        rows=4,
        help_text=_("For example, how many people, what they looked like, what they wore. Leave empty if you do not know."),
    )
    offender_known = forms.ChoiceField(
        label=_("Do you know who did it?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No")), ("not_sure", _("Not sure"))],
        error_messages={"required": _("Select whether you know who did it")},
    )
    easy = {"offender_description": (_("Who did it?"), _("Tell us what they looked like."))}


class HarmForm(StepForm):
    injury = text(_("Was anyone hurt? Tell us about any injuries"), max_length=3_000, rows=3)
    damage = text(_("Was anything damaged?"), max_length=3_000, rows=3)
    loss = text(_("Was anything stolen or lost?"), max_length=3_000, rows=3)
    easy = {"injury": (_("Was anyone hurt?"), _("You can leave this empty."))}


class EvidenceForm(forms.Form):
    # The input is rendered by hand (multiple); files are checked in umbrella.reporting.evidence.
    pass


class SupportForm(StepForm):
    interpreter_language = text(_("Do you need an interpreter? If so, for which language?"), max_length=100)
    accessibility_needs = text(_("Do you have any access needs?"), max_length=1_000, rows=3,
                               help_text=_("For example, large print, easy read, British Sign Language"))
    other_needs = text(_("Is there anything else that would help you?"), max_length=1_000, rows=3)
    easy = {"interpreter_language": (_("Do you need someone to speak your language?"), "")}


class ContactForm(StepForm):
    anonymous = forms.ChoiceField(
        label=_("Do you want to give your contact details?"),
        help_text=_("If you stay anonymous, nobody can contact you about your report."),
        widget=forms.RadioSelect,
        choices=[("no", _("Yes, you can contact me")), ("yes", _("No, I want to stay anonymous"))],
        error_messages={"required": _("Select whether you want to give your contact details")},
    )
    contact_name = text(_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Email address"), required=False, max_length=254,
                                     error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")})
    contact_phone = text(_("Phone number"), max_length=30)
    contact_address = text(_("Postal address"), max_length=500, rows=3)
    contact_preferred_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        widget=forms.RadioSelect,
        required=False,
        choices=[("email", _("Email")), ("phone", _("Phone call")), ("text", _("Text message")), ("letter", _("Letter"))],
    )
    contact_safe_times = text(_("When is it safe to contact you?"), max_length=200, help_text=_("For example, weekdays after 6pm"))
    voicemail_safe = forms.BooleanField(label=_("It is safe to leave a voicemail"), required=False)
    letter_safe = forms.BooleanField(label=_("It is safe to send a letter"), required=False)
    easy = {"anonymous": (_("Can we contact you?"), _("If you say no, we cannot talk to you about it."))}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous") == "no":
            method = data.get("contact_preferred_method")
            needed = {"email": "contact_email", "phone": "contact_phone", "text": "contact_phone", "letter": "contact_address"}
            if not any(data.get(f) for f in ("contact_email", "contact_phone", "contact_address")):
                self.add_error("contact_email", _("Enter an email address, phone number or postal address"))
            elif method and not data.get(needed[method]):
                self.add_error(needed[method], _("Enter how we can reach you by your chosen method"))
        return data

    def answers(self) -> dict[str, Any]:
        data = {**self.cleaned_data, "anonymous": self.cleaned_data["anonymous"] == "yes"}
        if data["anonymous"]:
            for name in ("contact_name", "contact_email", "contact_phone", "contact_address",
                         "contact_preferred_method", "contact_safe_times"):
                data[name] = ""
            data["voicemail_safe"] = data["letter_safe"] = False
        return data

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        anonymous = answers.get("anonymous")
        return {**answers, "anonymous": "" if anonymous is None else ("yes" if anonymous else "no")}


def centres() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrganisationKind.THIRD_PARTY_CENTRE, is_active=True).order_by("name"))


class DestinationForm(StepForm):
    destination = forms.ChoiceField(
        label=_("Who should get your report?"),
        widget=forms.RadioSelect,
        choices=[
            ("police", _("The police")),
            ("centre", _("A third-party reporting centre, not the police")),
            ("both", _("Both the police and a reporting centre")),
        ],
        help_text=_("A reporting centre is a community organisation that can support you. It will not share your report with the police unless you agree."),
        error_messages={"required": _("Select who should get your report")},
    )
    centre_slug = forms.ChoiceField(label=_("Which reporting centre?"), required=False)
    easy = {"destination": (_("Who should we send it to?"), "")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: Any = [("", _("Choose a centre"))] + [(o.slug, o.name) for o in centres()]
        self.fields["centre_slug"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("destination") in ("centre", "both") and not data.get("centre_slug"):
            self.add_error("centre_slug", _("Select a reporting centre"))
        if data.get("destination") == "police":
            data["centre_slug"] = ""
        return data


CONSENT_WORDS = {
    ConsentScope.POLICE_IDENTIFIED: _("Can the police see your report with your name and contact details?"),
    ConsentScope.POLICE_ANONYMISED: _("Can the police see your report without your name and contact details?"),
    ConsentScope.VICTIM_SUPPORT_REFERRAL: _("Can we pass your details to Victim Support so they can offer you help?"),
    ConsentScope.PARTNER_REFERRAL: _("Can we pass your report to your council or housing provider if they can help?"),
    ConsentScope.CENTRE_CONTACT: _("Can the reporting centre contact you about your report?"),
    ConsentScope.STATISTICS_ONLY: _("Can we count your report in statistics? Nobody can identify you from them."),
}


# Each question's own error, so the error summary says which answers are missing (GOV.UK: "Select
# yes if …, or no").
CONSENT_ERRORS = {
    ConsentScope.POLICE_IDENTIFIED: _("Select yes if the police can see your report with your name and contact details, or no"),
    ConsentScope.POLICE_ANONYMISED: _("Select yes if the police can see your report without your name and contact details, or no"),
    ConsentScope.VICTIM_SUPPORT_REFERRAL: _("Select yes if we can pass your details to Victim Support, or no"),
    ConsentScope.PARTNER_REFERRAL: _("Select yes if we can pass your report to your council or housing provider, or no"),
    ConsentScope.CENTRE_CONTACT: _("Select yes if the reporting centre can contact you, or no"),
    ConsentScope.STATISTICS_ONLY: _("Select yes if we can count your report in statistics, or no"),
}


class ConsentForm(StepForm):
    """One explicit yes or no per consent scope; nothing is pre-selected."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for scope, words in CONSENT_WORDS.items():
            self.fields[f"consent_{scope.value}"] = forms.ChoiceField(
                label=words,
                widget=forms.RadioSelect,
                choices=YES_NO,
                error_messages={"required": CONSENT_ERRORS[scope]},
            )

    def answers(self) -> dict[str, Any]:
        consents = {scope.value: self.cleaned_data[f"consent_{scope.value}"] == "yes" for scope in CONSENT_WORDS}
        words = {scope.value: str(CONSENT_WORDS[scope]) for scope in CONSENT_WORDS}
        return {"consents": consents, "consent_words": words}

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        consents = answers.get("consents") or {}
        return {f"consent_{k}": ("yes" if v else "no") for k, v in consents.items()}


class ResumeForm(StepForm):
    code = forms.CharField(
        label=_("Enter your resume code"),
        help_text=_("It is 12 letters and numbers, like 7K3Q-X9AB-2MPD"),
        max_length=40,
        error_messages={"required": _("Enter your resume code")},
    )


class ProgressForm(StepForm):
    reference = forms.CharField(
        label=_("Your reference number"),
        help_text=_("It starts UMB-, like UMB-7K3QX9"),
        max_length=20,
        error_messages={"required": _("Enter your reference number")},
    )
    code = forms.CharField(
        label=_("Your check code"),
        help_text=_("It is 12 letters and numbers, like 7K3Q-X9AB-2MPD. It was shown when you sent your report."),
        max_length=40,
        error_messages={"required": _("Enter your check code")},
    )
