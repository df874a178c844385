"""Which consent is in force. Callers scope the record first (Record.objects.visible_to).

Consent is the victim's, not the organisation's: what they consented to on the record where it
was captured (e.g. a reporting centre's) travels to a record made from it (``ConsentSource``),
for as long as that record is still shared with the organisation holding the new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.consent.models import ConsentDecision, ConsentRecord, ConsentSource

if TYPE_CHECKING:
    from umbrella.cases.models import Record


def consent_latest(*, record: Record, scope: str) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(record=record, scope=scope).order_by("-captured_at", "-id").first()


def consent_source_records(*, record: Record) -> list[int]:
    """Records whose consents this record honours now: sources still shared with its organisation."""
    from umbrella.cases.models import RecordShare

    sources = list(ConsentSource.objects.filter(record=record).values_list("from_record_id", flat=True))
    if not sources:
        return []
    shared = set(
        RecordShare.objects.active()
        .filter(record_id__in=sources, organisation_id=record.organisation_id)
        .values_list("record_id", flat=True)
    )
    return [pk for pk in sources if pk in shared]


def consent_in_force(*, record: Record, scope: str) -> ConsentRecord | None:
    """The consent that allows ``scope`` now, or None (never asked, refused or withdrawn).

    A decision recorded on the record itself wins; otherwise the victim's decision where the
    consent was captured, carried within its scope (``consent_source_records``).
    """
    return _in_force(record, scope, sources=None)


def _in_force(record: Record, scope: str, *, sources: list[int] | None) -> ConsentRecord | None:
    """``consent_in_force`` with the shared source records, when the caller already has them."""
    latest = consent_latest(record=record, scope=scope)
    if latest is not None:
        return latest if latest.decision == ConsentDecision.GIVEN else None
    for source_id in sources if sources is not None else consent_source_records(record=record):
        carried = (
            ConsentRecord.objects.filter(record_id=source_id, scope=scope)
            .select_related("organisation").order_by("-captured_at", "-id").first()
        )
        if carried is not None and carried.decision == ConsentDecision.GIVEN:
            return carried
    return None


def consent_history(*, record: Record) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(record=record).select_related("captured_by").order_by("captured_at", "id"))


def consents_carried(*, record: Record) -> list[ConsentRecord]:
    """The consents in force that this record honours from where they were captured (with the organisation)."""
    sources = consent_source_records(record=record)
    if not sources:
        return []
    scopes = set(ConsentRecord.objects.filter(record_id__in=sources).values_list("scope", flat=True))
    found = [_in_force(record, scope, sources=sources) for scope in sorted(scopes)]
    return [c for c in found if c is not None and c.record_id != record.pk]


def consent_by_reference(*, record: Record, reference: str) -> ConsentRecord | None:
    """A consent of this record (or carried to it) named by its reference (``CONSENT-<id>``), if in force."""
    prefix = "CONSENT-"
    if not reference.startswith(prefix) or not reference[len(prefix):].isdigit():
        return None
    sources = consent_source_records(record=record)
    consent = ConsentRecord.objects.filter(record_id__in=[record.pk, *sources], pk=int(reference[len(prefix):])).first()
    if consent is None or consent.decision != ConsentDecision.GIVEN:
        return None
    return _in_force(record, consent.scope, sources=sources)


def records_with_consent_in_force(*, record_ids: list[int]) -> set[int]:
    """Of these records, those where the victim's latest decision on some use of what they reported,
    recorded on the record itself, is "given" (for counting in statistics: any use will do). One
    query, for many records at once; the caller has already chosen which records to ask about."""
    latest: dict[tuple[int, str], str] = {}
    for record_id, scope, decision in (
        ConsentRecord.objects.filter(record_id__in=record_ids)
        .order_by("record_id", "scope", "-captured_at", "-id").values_list("record_id", "scope", "decision")
    ):
        latest.setdefault((record_id, scope), decision)
    return {record_id for (record_id, _), decision in latest.items() if decision == ConsentDecision.GIVEN}
