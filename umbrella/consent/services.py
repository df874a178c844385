"""Capturing and withdrawing consent. Each call adds a row; nothing is overwritten."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.db import transaction

from umbrella.audit.services import audit_event_write
from umbrella.consent.models import (
    ConsentDecision,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ConsentSource,
)

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.agencies.models import Organisation
    from umbrella.cases.models import Record

CONSENT_CAPTURE: Final = "consent.capture"
CONSENT_WITHDRAW: Final = "consent.withdraw"
CONSENT_LINK: Final = "consent.link"
CONSENT_CARRY: Final = "consent.carry"


def _check(scope: str, method: str, words_shown: str) -> None:
    errors: dict[str, str] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = "Choose what the victim is consenting to"
    if method not in ConsentMethod.values:
        errors["method"] = "Choose how consent was given"
    if not words_shown.strip():
        errors["words_shown"] = "Record the words the victim was shown or read"
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


@transaction.atomic
def consent_capture(
    *,
    actor: User | None,
    organisation: Organisation,
    scope: str,
    decision: str,
    method: str,
    words_shown: str,
    record: Record | None = None,
    report_reference: str = "",
    language: str = "en",
    note: str = "",
) -> ConsentRecord:
    """Records one decision (given, refused or withdrawn) for one scope.

    ``actor`` is None for the public journey, where the victim records it themselves.
    """
    _check(scope, method, words_shown)
    if decision not in ConsentDecision.values:
        raise ValidationError({"decision": ["Choose whether consent was given or refused"]})
    if record is None and not report_reference:
        raise ValidationError({"record": ["Consent must belong to a record or a report"]})
    consent = ConsentRecord.objects.create(
        organisation=organisation, record=record, report_reference=report_reference, scope=scope,
        decision=decision, method=method, words_shown=words_shown.strip(), language=language,
        note=note.strip(), captured_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_event_write(
        actor=actor,
        action=CONSENT_WITHDRAW if decision == ConsentDecision.WITHDRAWN else CONSENT_CAPTURE,
        target=consent,
        target_label=record.reference if record is not None else report_reference,
        record_id=record.pk if record is not None else None,
        changes={"scope": scope, "decision": decision, "method": method, "reference": consent.reference},
    )
    return consent


@transaction.atomic
def consents_link_to_record(*, actor: User, report_reference: str, record: Record) -> int:
    """Attaches a report's consents to the record triage made of it."""
    linked = ConsentRecord.objects.filter(report_reference=report_reference, record__isnull=True).update(record=record)
    if linked:
        audit_event_write(
            actor=actor, action=CONSENT_LINK, target=record, target_label=record.reference, record_id=record.pk,
            changes={"report": report_reference, "consents": linked},
        )
    return linked


@transaction.atomic
def consent_carry(*, actor: User, record: Record, from_record: Record) -> ConsentSource:
    """The consents the victim gave on ``from_record`` apply to ``record`` within their scope
    (while ``from_record`` stays shared with ``record``'s organisation)."""
    source, created = ConsentSource.objects.get_or_create(
        record=record, from_record=from_record, defaults={"created_by": actor}
    )
    if created:
        audit_event_write(
            actor=actor, action=CONSENT_CARRY, target=record, target_label=record.reference, record_id=record.pk,
            changes={"from_record": from_record.reference, "organisation": from_record.organisation_id},
        )
    return source
