"""Plain data of one report: every question of the public journey and of centre intake.

The REPORTING area fills :class:`ReportAnswers` from the public journey; the centre intake form
fills it from a caseworker's page. Reference data is carried as code strings (``Code.code``), so
the answers can be serialised, encrypted as one JSON document and replayed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from umbrella.audit.reads import decrypts
from umbrella.crypto.fields import decrypt, encrypt

if TYPE_CHECKING:
    from umbrella.intake.models import Report


def _answers_column() -> str:
    # Imported when first used: the answers are plain data that forms import before the models.
    from umbrella.intake.models import ANSWERS_COLUMN

    return ANSWERS_COLUMN

REPORTER_ROLES: Final = ("victim", "witness", "on_behalf", "organisation")
DESTINATIONS: Final = ("police", "centre", "both")
CONTACT_METHODS: Final = ("email", "phone", "text", "letter", "")


@dataclass(frozen=True)
class ReportAnswers:
    # Who is reporting: "victim" | "witness" | "on_behalf" | "organisation".
    reporter_role: str = "victim"
    # Name of the organisation when reporter_role is "organisation".
    reporter_organisation: str = ""
    # What happened, in their own words; the words used, if any.
    narrative: str = ""
    words_used: str = ""
    # When.
    occurred_on: date | None = None
    occurred_time_text: str = ""
    # Where: a place or postcode, a borough (GSS code), a location type code, or online.
    location_description: str = ""
    postcode: str = ""
    borough_code: str = ""
    location_type_code: str = ""
    is_online: bool = False
    online_platform_code: str = ""
    online_link: str = ""
    # Why they think it was motivated by hostility: strand codes, plus "something else".
    strands: tuple[str, ...] = ()
    strand_other_text: str = ""
    # Who did it.
    offender_description: str = ""
    # "yes" | "no" | "not_sure" | "".
    offender_known: str = ""
    # Harm.
    injury: str = ""
    damage: str = ""
    loss: str = ""
    # Support needs.
    interpreter_language: str = ""
    accessibility_needs: str = ""
    other_needs: str = ""
    # Safe contact, or anonymous.
    anonymous: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    # "email" | "phone" | "text" | "letter" | "".
    contact_preferred_method: str = ""
    contact_safe_times: str = ""
    contact_address: str = ""
    voicemail_safe: bool = False
    letter_safe: bool = False
    # Where to send it: "police" | "centre" | "both"; the centre's organisation slug.
    destination: str = "police"
    centre_slug: str = ""
    # Consent choices keyed by umbrella.consent.models.ConsentScope values (True = given).
    consents: dict[str, bool] = field(default_factory=dict)
    # The exact words shown for each consent scope, if the journey wants to record its own
    # wording (otherwise intake records its standard wording for that scope).
    consent_words: dict[str, str] = field(default_factory=dict)
    # The language the journey was completed in (Django language code).
    language: str = "en"
    # Easy-read version of the journey used.
    easy_read: bool = False

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["occurred_on"] = self.occurred_on.isoformat() if self.occurred_on else None
        data["strands"] = list(self.strands)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportAnswers:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        occurred = values.get("occurred_on")
        values["occurred_on"] = date.fromisoformat(occurred) if occurred else None
        values["strands"] = tuple(values.get("strands") or ())
        return cls(**values)

    @property
    def reporter_name(self) -> str:
        return "" if self.anonymous else self.contact_name


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content_type: str
    data: bytes


# ---- stored: one JSON document sealed with the receiving organisation's key ----------------


def answers_encrypt(answers: ReportAnswers, *, organisation_id: int) -> str:
    return encrypt(json.dumps(answers.to_json()), organisation_id=organisation_id, column=_answers_column()) or ""


@decrypts
def answers_of(report: Report) -> ReportAnswers:
    return ReportAnswers.from_json(json.loads(decrypt(report.answers, column=_answers_column()) or "{}"))


def anonymise(answers: ReportAnswers) -> ReportAnswers:
    """The answers without anything that identifies or reaches the reporter."""
    return replace(
        answers, anonymous=True, contact_name="", contact_email="", contact_phone="", contact_address="",
        contact_safe_times="", contact_preferred_method="", voicemail_safe=False, letter_safe=False,
        reporter_organisation="", postcode="", interpreter_language="", accessibility_needs="", other_needs="",
    )
