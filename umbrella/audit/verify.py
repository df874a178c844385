"""Recomputing the audit hash chain from what the database holds, to find tampering.

Each event's hash covers its content and the previous event's hash. Walking the table in id
order and recomputing every hash finds the first event that was edited (its content no longer
matches its hash) or the first place where an event was deleted or rows were reordered (its
``previous_hash`` no longer names the event before it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from umbrella.audit.chain import GENESIS_HASH, canonical_content, event_hash, unkeyed_event_hash
from umbrella.audit.models import AuditEvent
from umbrella.audit.services import normalised_ip

CONTENT_CHANGED = "content changed: the stored fields no longer match the event's hash"
LINK_BROKEN = (
    "previous link broken: the event before it was deleted, or events were reordered "
    "(its previous hash does not match the hash of the event before it)"
)

_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_display",
    "organisation_id_snapshot",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "record_id",
    "changes",
    "request_id",
    "ip_address",
    "previous_hash",
    "hash",
)


@dataclass(frozen=True)
class BrokenEvent:
    id: int
    action: str
    occurred_at: datetime
    why: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken: BrokenEvent | None
    # The last event verified (id, hash), for comparing with the latest checkpoint.
    head: tuple[int, str] | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_chain_verify(
    *, chunk_size: int = 5000, progress: Callable[[int], None] | None = None
) -> VerifyResult:
    """Walks every event in id order; stops at the first broken one.

    Rows are read as tuples through a streaming cursor, so memory stays flat however long the
    chain is. ``progress`` is called with the number of events checked every ``chunk_size``.
    """
    expected_previous = GENESIS_HASH
    checked = 0
    unkeyed_until = settings.UMBRELLA_AUDIT_UNKEYED_UNTIL
    head: tuple[int, str] | None = None
    rows = AuditEvent.objects.order_by("id").values_list(*_FIELDS).iterator(chunk_size=chunk_size)
    for (
        pk,
        occurred_at,
        actor_id,
        actor_display,
        organisation_id,
        action,
        target_type,
        target_id,
        target_label,
        record_id,
        changes,
        request_id,
        ip_address,
        previous_hash,
        stored_hash,
    ) in rows:
        if previous_hash != expected_previous:
            return VerifyResult(checked, BrokenEvent(pk, action, occurred_at, LINK_BROKEN))
        content = canonical_content(
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_display=actor_display,
            organisation_id=organisation_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label,
            record_id=record_id,
            changes=changes,
            request_id=request_id,
            ip_address=normalised_ip(ip_address),
        )
        if event_hash(previous_hash, content) != stored_hash and not (
            pk <= unkeyed_until and unkeyed_event_hash(previous_hash, content) == stored_hash
        ):
            return VerifyResult(checked, BrokenEvent(pk, action, occurred_at, CONTENT_CHANGED))
        expected_previous = stored_hash
        head = (pk, stored_hash)
        checked += 1
        if progress is not None and checked % chunk_size == 0:
            progress(checked)
    return VerifyResult(checked, None, head)
