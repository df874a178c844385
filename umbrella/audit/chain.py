"""The hash chain: how an event's hash is computed from its content and its predecessor's hash."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


def _canonical_numbers(value: Any) -> Any:
    """Whole-valued floats hashed as integers, so the hash survives the database's JSON round trip.

    PostgreSQL's jsonb gives -0.0 back as 0 and 1e16 as 10000000000000000; the hash must be the
    same for what was written and what is read back, or an untouched event would look tampered.
    """
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {key: _canonical_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_numbers(item) for item in value]
    return value


def canonical_content(
    *,
    occurred_at: datetime,
    actor_id: int | None,
    actor_display: str,
    organisation_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    record_id: int | None,
    changes: Any,
    request_id: str,
    ip_address: str | None,
) -> str:
    if occurred_at.tzinfo is not None:
        # The database may hand the time back in another zone; the instant is what is hashed.
        occurred_at = occurred_at.astimezone(UTC)
    payload = {
        "at": occurred_at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_display": actor_display,
        "org": organisation_id,
        "action": action,
        "target": [target_type, target_id, target_label],
        "record": record_id,
        "changes": _canonical_numbers(changes),
        "request": request_id,
        "ip": ip_address,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def event_hash(previous_hash: str, content: str) -> str:
    """HMAC-SHA256 under UMBRELLA_AUDIT_CHAIN_KEY (from the environment, never the database), so
    someone who can edit the table cannot recompute the chain after a change. Without a key
    (never in production, which refuses to start without one) the plain form is used."""
    key = settings.UMBRELLA_AUDIT_CHAIN_KEY
    if not key:
        return unkeyed_event_hash(previous_hash, content)
    return hmac.new(key.encode(), f"{previous_hash}|{content}".encode(), hashlib.sha256).hexdigest()


def unkeyed_event_hash(previous_hash: str, content: str) -> str:
    """The chain's form before it was keyed: accepted by verify only up to UMBRELLA_AUDIT_UNKEYED_UNTIL."""
    return hashlib.sha256(f"{previous_hash}|{content}".encode()).hexdigest()


def event_digest(content: str) -> str:
    """The event's own keyed digest, written with the event, before it is chained.

    Writers append without waiting for each other (see ``audit.sealer``): this digest is what
    protects an event between its commit and the moment the sealer links it into the chain, and
    what the chain then covers, so the sealer never needs to re-read the event's content.
    """
    key = settings.UMBRELLA_AUDIT_CHAIN_KEY
    if not key:
        return unkeyed_event_digest(content)
    return hmac.new(key.encode(), f"event|{content}".encode(), hashlib.sha256).hexdigest()


def unkeyed_event_digest(content: str) -> str:
    """The digest written without a key: accepted by verify only up to UMBRELLA_AUDIT_UNKEYED_UNTIL."""
    return hashlib.sha256(f"event|{content}".encode()).hexdigest()


def chained_hash(previous_hash: str, digest: str) -> str:
    """The chain hash of an event written with its own digest: it covers the digest and the link."""
    return event_hash(previous_hash, f"digest|{digest}")


def unkeyed_chained_hash(previous_hash: str, digest: str) -> str:
    return unkeyed_event_hash(previous_hash, f"digest|{digest}")
