"""Recomputing the audit hash chain from what the database holds, to find tampering.

Each event's digest covers its content, and its hash covers its digest and the previous event's
hash. Walking the chained events in chain order and recomputing both finds the first event that
was edited (its content no longer matches its digest or hash) or the first place where an event
was deleted or rows were reordered (its ``previous_hash`` no longer names the event before it).
Events not yet chained (written in the last moments, see ``audit.sealer``) are checked against
their digests. Events from before the sealer have no digest; their hash covers their content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from umbrella.audit.chain import (
    GENESIS_HASH,
    canonical_content,
    chained_hash,
    event_digest,
    event_hash,
    unkeyed_chained_hash,
    unkeyed_event_digest,
    unkeyed_event_hash,
)
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
    "digest",
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
    # The last chained event verified (chain position, hash), for comparing with the latest checkpoint.
    head: tuple[int, str] | None = None
    # Events checked against their digests that the sealer had not yet chained.
    unchained: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None


def _content(row: tuple[object, ...]) -> str:
    (_, occurred_at, actor_id, actor_display, organisation_id, action, target_type, target_id,
     target_label, record_id, changes, request_id, ip_address, *_) = row
    return canonical_content(
        occurred_at=occurred_at,  # type: ignore[arg-type]
        actor_id=actor_id,  # type: ignore[arg-type]
        actor_display=actor_display,  # type: ignore[arg-type]
        organisation_id=organisation_id,  # type: ignore[arg-type]
        action=action,  # type: ignore[arg-type]
        target_type=target_type,  # type: ignore[arg-type]
        target_id=target_id,  # type: ignore[arg-type]
        target_label=target_label,  # type: ignore[arg-type]
        record_id=record_id,  # type: ignore[arg-type]
        changes=changes,
        request_id=request_id,  # type: ignore[arg-type]
        ip_address=normalised_ip(ip_address),  # type: ignore[arg-type]
    )


def _digest_matches(content: str, digest: str, *, legacy: bool) -> bool:
    """Under the key, or (for events from before the chain was keyed) without it."""
    return event_digest(content) == digest or (legacy and unkeyed_event_digest(content) == digest)


def audit_chain_verify(
    *, chunk_size: int = 5000, progress: Callable[[int], None] | None = None
) -> VerifyResult:
    """Walks every chained event in chain order, then every unchained one; stops at the first broken one.

    Rows are read as tuples through a streaming cursor, so memory stays flat however long the
    chain is. ``progress`` is called with the number of events checked every ``chunk_size``.
    """
    expected_previous = GENESIS_HASH
    checked = 0
    unkeyed_until = settings.UMBRELLA_AUDIT_UNKEYED_UNTIL
    head: tuple[int, str] | None = None
    chained = (
        AuditEvent.objects.filter(chain_position__isnull=False)
        .order_by("chain_position")
        .values_list(*_FIELDS, "chain_position")
        .iterator(chunk_size=chunk_size)
    )
    for row in chained:
        pk, action, occurred_at = row[0], row[5], row[1]
        digest, previous_hash, stored_hash, position = row[13], row[14], row[15], row[16]
        if previous_hash != expected_previous:
            return VerifyResult(checked, BrokenEvent(pk, action, occurred_at, LINK_BROKEN))
        content = _content(row)
        legacy = pk <= unkeyed_until
        if digest:
            intact = _digest_matches(content, digest, legacy=legacy) and (
                chained_hash(previous_hash, digest) == stored_hash
                or (legacy and unkeyed_chained_hash(previous_hash, digest) == stored_hash)
            )
        else:
            intact = event_hash(previous_hash, content) == stored_hash or (
                legacy and unkeyed_event_hash(previous_hash, content) == stored_hash
            )
        if not intact:
            return VerifyResult(checked, BrokenEvent(pk, action, occurred_at, CONTENT_CHANGED))
        expected_previous = stored_hash
        head = (position, stored_hash)
        checked += 1
        if progress is not None and checked % chunk_size == 0:
            progress(checked)
    unchained = 0
    waiting = AuditEvent.objects.filter(hash__isnull=True).order_by("id").values_list(*_FIELDS).iterator(
        chunk_size=chunk_size
    )
    for row in waiting:
        pk, action, occurred_at, digest = row[0], row[5], row[1], row[13]
        if row[14] is not None or not digest or not _digest_matches(_content(row), digest, legacy=pk <= unkeyed_until):
            return VerifyResult(checked, BrokenEvent(pk, action, occurred_at, CONTENT_CHANGED), head, unchained)
        unchained += 1
        checked += 1
    return VerifyResult(checked, None, head, unchained)
