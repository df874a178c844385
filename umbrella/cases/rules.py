"""The rules every route into a record shares: staff pages, the API, imports, triage and review all
create and change records through ``cases.services``, which check these, so no route is laxer than
another ("one path in").

A hate crime or non-crime hate incident that is recorded (not a draft) needs at least one strand
with who perceived the hostility, and a borough or an online platform, so it can be reviewed,
counted and mapped. Dates must make sense on every record, drafts included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from django.core.exceptions import ValidationError
from django.utils import timezone

from umbrella.agencies.models import OrganisationKind
from umbrella.cases.models import RecordKind, RecordStatus

HATE_KINDS: Final = frozenset({RecordKind.HATE_CRIME, RecordKind.NCHI})
CRIME_KINDS: Final = frozenset({RecordKind.HATE_CRIME, RecordKind.OTHER_CRIME})
EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
# Clocks differ between a caller's machine and the server by a little.
CLOCK_SKEW: Final = timedelta(minutes=5)

STRAND_NEEDED: Final = (
    "Add at least one strand of hate, and who perceived it, for a hate crime or non-crime hate incident"
)
PLACE_NEEDED: Final = "Choose the borough where it happened, or the online platform if it happened online"


def date_errors(
    *, occurred_from: datetime | None, occurred_to: datetime | None, reported_at: datetime | None
) -> dict[str, str]:
    """What is wrong with a record's dates, by field: none before 1900, none in the future, the end
    of when it happened not before its start, and reported no earlier than it happened."""
    errors: dict[str, str] = {}
    now = timezone.now()
    for field, value, what in (
        ("occurred_from", occurred_from, "When it happened"),
        ("occurred_to", occurred_to, "The end of when it happened"),
        ("reported_at", reported_at, "When it was reported"),
    ):
        if value is None:
            continue
        if value < EARLIEST:
            errors[field] = f"{what} must be in 1900 or later."
        elif value > now + CLOCK_SKEW:
            errors[field] = f"{what} must be in the past."
    if "occurred_to" not in errors and occurred_from and occurred_to and occurred_to < occurred_from:
        errors["occurred_to"] = "The end of when it happened must be the same as or after the start."
    if "reported_at" not in errors and occurred_from and reported_at and reported_at < occurred_from:
        errors["reported_at"] = "When it was reported must be the same as or after when it happened."
    return errors


def completeness_errors(
    *, kind: str, status: str, strand_count: int, has_borough: bool, has_online_platform: bool
) -> dict[str, str]:
    """What a recorded hate crime or incident is missing, by field (drafts may be incomplete)."""
    if status == RecordStatus.DRAFT or kind not in HATE_KINDS:
        return {}
    errors: dict[str, str] = {}
    if strand_count < 1:
        errors["strands"] = STRAND_NEEDED
    if not (has_borough or has_online_platform):
        errors["borough"] = PLACE_NEEDED
    return errors


# Closing: why, from the list of closure reasons (reference data, scheme "status_reason"). Each
# reason may name the kinds it is for (attribute "kinds"); one without applies to every kind.
# A non-crime hate incident has no Home Office outcome, so its reason is what says how it ended.
REASON_NEEDED: Final = "Choose why the non-crime hate incident is being closed"
REASON_WORDS_NEEDED: Final = "Enter why the record is being closed"
OTHER_REASON: Final = "other"


def closure_reason_applies(*, kind: str, attributes: dict[str, object]) -> bool:
    kinds = attributes.get("kinds")
    return not isinstance(kinds, list) or kind in kinds


def closing_errors(
    *, kind: str, reason_code: str, reason_attributes: dict[str, object] | None, reason: str, closed_already: bool = False
) -> dict[str, str]:
    """What is wrong with how a record is being closed, by field. ``reason_attributes`` is None when
    ``reason_code`` is not a current closure reason (or none was given); ``closed_already`` words
    the messages for a record that comes in closed (an import)."""
    errors: dict[str, str] = {}
    if reason_code and reason_attributes is None:
        errors["reason_code"] = "Choose a reason for closing from the list"
    elif reason_attributes is not None and not closure_reason_applies(kind=kind, attributes=reason_attributes):
        errors["reason_code"] = f"That reason is not for a {RecordKind(kind).label.lower()}: choose another from the list"
    elif not reason_code and kind == RecordKind.NCHI:
        errors["reason_code"] = REASON_NEEDED
    if not reason.strip() and (not reason_code or reason_code == OTHER_REASON):
        errors["reason"] = REASON_WORDS_NEEDED + ("" if not reason_code else ": you chose another reason")
    if closed_already:
        errors = {field: message.replace("is being closed", "was closed") for field, message in errors.items()}
    return errors


def is_police_crime(*, kind: str, organisation_kind: str) -> bool:
    """A crime the police recorded: it closes with a Home Office outcome (Counting Rules, section
    H) and its file may go to the Crown Prosecution Service. A centre's or a charity's record is
    neither (its hand-off to the police makes a police record that is)."""
    return kind in CRIME_KINDS and organisation_kind == OrganisationKind.POLICE_FORCE


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
