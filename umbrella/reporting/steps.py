"""The journey's pages, in order: one question (or one closely related group) per page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from umbrella.reporting import forms


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.StepForm] | None
    title: Any
    easy_title: Any
    template: str = "reporting/step.html"


STEPS: tuple[Step, ...] = (
    Step("who", forms.WhoForm, _("Who is reporting?"), _("Who are you?")),
    Step("what", forms.WhatForm, _("What happened?"), _("What happened?")),
    Step("words", forms.WordsForm, _("Words used"), _("What did they say?")),
    Step("when", forms.WhenForm, _("When did it happen?"), _("When did it happen?"), "reporting/step_when.html"),
    Step("where", forms.WhereForm, _("Where did it happen?"), _("Where did it happen?")),
    Step("why", forms.WhyForm, _("Why do you think it happened?"), _("Why did they do it?")),
    Step("offender", forms.OffenderForm, _("Who did it?"), _("Who did it?")),
    Step("harm", forms.HarmForm, _("Injuries, damage or loss"), _("Were you hurt, or was something broken?")),
    Step("evidence", None, _("Upload evidence"), _("Do you have photos or files?"), "reporting/step_evidence.html"),
    Step("support", forms.SupportForm, _("Support you need"), _("What help do you need?")),
    Step("contact", forms.ContactForm, _("Contact details"), _("Can we contact you?")),
    Step("destination", forms.DestinationForm, _("Where to send your report"), _("Who should we send it to?")),
    Step("consent", forms.ConsentForm, _("What you agree to"), _("What can we do with your report?")),
)
BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = tuple(step.slug for step in STEPS)


def previous_slug(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index - 1] if index else None


def next_slug(slug: str) -> str | None:
    index = SLUGS.index(slug)
    return SLUGS[index + 1] if index + 1 < len(SLUGS) else None
