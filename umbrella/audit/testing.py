"""Helpers for tests and benchmarks: quickly append many correctly chained audit events."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from umbrella.audit.chain import canonical_content, chained_hash, event_digest
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal, chain_end
from umbrella.audit.services import stored_changes

# The record app's codes (cases.actions), spelled out: audit sits below cases.
_ACTIONS = ("record.view", "record.update", "record.create", "person.view")


def audit_events_bulk_create(
    count: int,
    *,
    batch_size: int = 5000,
    actor_id: int | None = None,
    actor_display: str = "bench",
    organisation_id: int | None = None,
    start_at: datetime | None = None,
) -> int:
    """Appends ``count`` chained events (continuing the existing chain) with bulk inserts.

    The rows look like ordinary record views and updates, so ``audit verify`` does the same
    work per row as on a real table. Returns the number of events in the table afterwards.
    Not for production use: it bypasses ``audit_event_write`` and chains the rows itself, after
    chaining any events waiting for the sealer.
    """
    at = start_at or timezone.now() - timedelta(days=30)
    step = timedelta(milliseconds=1)
    audit_chain_seal()
    with transaction.atomic():
        position, previous_hash = chain_end()
        made = 0
        while made < count:
            batch: list[AuditEvent] = []
            for i in range(made, min(count, made + batch_size)):
                at += step
                action = _ACTIONS[i % len(_ACTIONS)]
                record_id = 1 + i % 50_000
                label = f"BENCH-2026-{record_id:06d}"
                changes = stored_changes(
                    {"access": "full", "people_shown": i % 3}
                    if action in ("record.view", "person.view")
                    else {"status": {"from": "recorded", "to": "under_investigation"}, "narrative": "changed"}
                )
                request_id = f"bench-{i:012d}"
                content = canonical_content(
                    occurred_at=at, actor_id=actor_id, actor_display=actor_display,
                    organisation_id=organisation_id, action=action, target_type="cases.record",
                    target_id=str(record_id), target_label=label, record_id=record_id,
                    changes=changes, request_id=request_id, ip_address="192.0.2.10",
                )
                digest = event_digest(content)
                current = chained_hash(previous_hash, digest)
                position += 1
                batch.append(
                    AuditEvent(
                        occurred_at=at, actor_id=actor_id, actor_display=actor_display,
                        organisation_id_snapshot=organisation_id, action=action,
                        target_type="cases.record", target_id=str(record_id), target_label=label,
                        record_id=record_id, changes=changes, request_id=request_id,
                        ip_address="192.0.2.10", digest=digest, chain_position=position,
                        previous_hash=previous_hash, hash=current,
                    )
                )
                previous_hash = current
            AuditEvent.objects.bulk_create(batch)
            made += len(batch)
    return AuditEvent.objects.count()
