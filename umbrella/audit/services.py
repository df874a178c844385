"""Writing audit events. Called inside the same transaction as the write being recorded.

Writers append without any lock: each event carries a keyed digest of its content, and the sealer
(``audit.sealer``) links it into the hash chain shortly after the transaction commits.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from umbrella.audit.chain import canonical_content, event_digest
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import seal_when_committed
from umbrella.core.context import current_request_context
from umbrella.core.db import insert_many
from umbrella.core.reads import note_audited

if TYPE_CHECKING:
    from umbrella.accounts.models import User

def normalised_ip(value: str | None) -> str | None:
    """The address as the database gives it back (IPv6 compressed), so the hash verifies later."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def stored_changes(changes: dict[str, Any] | None) -> Any:
    """``changes`` exactly as the JSON column will return it (tuples become lists, keys strings).

    The hash must cover what is stored, not the Python value handed in, or verification of
    an untouched row would fail.
    """
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


LABEL_LENGTH = AuditEvent._meta.get_field("target_label").max_length or 64


def short_label(label: str) -> str:
    """A target's label as the event keeps it: a display name, cut to the column's length (an
    event name or an organisation's may be longer; PostgreSQL would refuse it, SQLite would not)."""
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def audit_event_write(
    *,
    actor: User | None,
    action: str,
    target: Any = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    record_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Appends one event, chained after commit. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        # Reads (views) call this outside a service; give them their own small transaction.
        with transaction.atomic():
            return audit_event_write(
                actor=actor, action=action, target=target, target_type=target_type,
                target_id=target_id, target_label=target_label, record_id=record_id,
                changes=changes,
            )
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    target_label = short_label(target_label)
    ctx = current_request_context()
    actor_id, actor_display, organisation_id = _actor_columns(actor)
    occurred_at = timezone.now()
    stored = stored_changes(changes)
    ip_address = normalised_ip(ctx.ip_address)
    content = canonical_content(
        occurred_at=occurred_at, actor_id=actor_id, actor_display=actor_display,
        organisation_id=organisation_id, action=action, target_type=target_type,
        target_id=target_id, target_label=target_label, record_id=record_id, changes=stored,
        request_id=ctx.request_id, ip_address=ip_address,
    )
    seal_when_committed()
    note_audited()
    return AuditEvent.objects.create(
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_display=actor_display,
        organisation_id_snapshot=organisation_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        record_id=record_id,
        changes=stored,
        request_id=ctx.request_id,
        ip_address=ip_address,
        digest=event_digest(content),
    )


@dataclass(frozen=True)
class PendingEvent:
    """One event for ``audit_events_write_many``: the same fields ``audit_event_write`` takes."""

    action: str
    target_type: str = ""
    target_id: str = ""
    target_label: str = ""
    record_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)


# What a writer stores; the chain's columns are the sealer's.
AUDIT_FIELDS = tuple(
    f.name for f in AuditEvent._meta.concrete_fields
    if not f.primary_key and f.name not in ("chain_position", "previous_hash", "hash")
)


def _actor_columns(actor: User | None) -> tuple[int | None, str, int | None]:
    """(actor id, display name, organisation id) as an event stores them."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_display = actor.get_username() if actor_id is not None and actor is not None else "system"
    organisation_id = getattr(actor, "organisation_id", None) if actor_id else None
    return actor_id, actor_display, organisation_id


def _pending_values(actor: User | None, event: PendingEvent, *, request_id: str, ip_address: str | None) -> dict[str, Any]:
    """The stored columns of one pending event, digest included, stamped now."""
    actor_id, actor_display, organisation_id = _actor_columns(actor)
    occurred_at = timezone.now()
    stored = stored_changes(event.changes)
    label = short_label(event.target_label)
    content = canonical_content(
        occurred_at=occurred_at, actor_id=actor_id, actor_display=actor_display,
        organisation_id=organisation_id, action=event.action, target_type=event.target_type,
        target_id=event.target_id, target_label=label, record_id=event.record_id,
        changes=stored, request_id=request_id, ip_address=ip_address,
    )
    return {
        "occurred_at": occurred_at, "actor": actor_id, "actor_display": actor_display,
        "organisation_id_snapshot": organisation_id, "action": event.action,
        "target_type": event.target_type, "target_id": event.target_id,
        "target_label": label, "record_id": event.record_id, "changes": stored,
        "request_id": request_id, "ip_address": ip_address, "digest": event_digest(content),
    }


def audit_events_write_many(*, actor: User | None, events: Sequence[PendingEvent]) -> int:
    """Appends many events by one actor in one go: one insert, chained after commit.

    Bulk writers (imports, demo data) need this: one ``audit_event_write`` per row costs a read and
    an insert each, about 1 ms on SQLite. The hashes are exactly those ``audit_event_write`` would
    give, so ``audit verify`` checks them the same way. Must run inside the caller's transaction.
    """
    if not events:
        return 0
    if not connection.in_atomic_block:
        with transaction.atomic():
            return audit_events_write_many(actor=actor, events=events)
    ctx = current_request_context()
    ip_address = normalised_ip(ctx.ip_address)
    rows = [
        [values[name] for name in AUDIT_FIELDS]
        for values in (
            _pending_values(actor, event, request_id=ctx.request_id, ip_address=ip_address) for event in events
        )
    ]
    # Rows go in in list order (ids ascending), which is the order verification walks; a plain
    # executemany, not bulk_create, which spends most of an import's audit time building models.
    insert_many(AuditEvent, AUDIT_FIELDS, rows)
    seal_when_committed()
    note_audited()
    return len(rows)


def audit_events_write_in_order(*, events: Sequence[tuple[User | None, PendingEvent]]) -> list[int]:
    """Appends events by several actors in the order given, in one insert, and returns their ids.

    For bulk writers that keep something beside an event (a change's reason names its event) and
    write many actors' events interleaved, as the demo loader does. The hashes are exactly those
    ``audit_event_write`` would give. Must run inside the caller's transaction.
    """
    if not events:
        return []
    if not connection.in_atomic_block:
        with transaction.atomic():
            return audit_events_write_in_order(events=events)
    ctx = current_request_context()
    ip_address = normalised_ip(ctx.ip_address)
    rows = [
        AuditEvent(**{
            ("actor_id" if name == "actor" else name): value
            for name, value in _pending_values(actor, event, request_id=ctx.request_id, ip_address=ip_address).items()
        })
        for actor, event in events
    ]
    # bulk_create, unlike insert_many, hands the new ids back (RETURNING, on both databases), in
    # list order.
    AuditEvent.objects.bulk_create(rows)
    seal_when_committed()
    note_audited()
    return [row.pk for row in rows]
