"""Which consent is in force. Callers scope the record first (Record.objects.visible_to)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.consent.models import ConsentDecision, ConsentRecord

if TYPE_CHECKING:
    from umbrella.cases.models import Record


def consent_latest(*, record: Record, scope: str) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(record=record, scope=scope).order_by("-captured_at", "-id").first()


def consent_in_force(*, record: Record, scope: str) -> ConsentRecord | None:
    """The consent that allows ``scope`` now, or None (never asked, refused or withdrawn)."""
    latest = consent_latest(record=record, scope=scope)
    return latest if latest is not None and latest.decision == ConsentDecision.GIVEN else None


def consent_history(*, record: Record) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(record=record).select_related("captured_by").order_by("captured_at", "id"))


def consent_by_reference(*, record: Record, reference: str) -> ConsentRecord | None:
    """A consent of this record named by its reference (``CONSENT-<id>``), if it is still in force."""
    prefix = "CONSENT-"
    if not reference.startswith(prefix) or not reference[len(prefix):].isdigit():
        return None
    consent = ConsentRecord.objects.filter(record=record, pk=int(reference[len(prefix):])).first()
    if consent is None:
        return None
    return consent_in_force(record=record, scope=consent.scope) if consent.decision == ConsentDecision.GIVEN else None
