"""The sealer: links committed audit events into the hash chain, in order, shortly after commit.

Writers never wait for each other: each event is inserted with its own keyed ``digest`` and no
place in the chain (a global lock held until commit serialised the whole service under load).
After every transaction that wrote events, and from ``umbrella audit seal`` (cron or a worker
loop), the sealer takes the chain lock without waiting, reads the chain's end, and gives each
unchained event, in id order, the next ``chain_position``, its ``previous_hash`` and a ``hash``
over its digest and that previous hash. Only one sealer works at a time; one that cannot get the
lock leaves the work to the one that has it, which keeps going until a pass finds nothing, so an
event committed while it worked is never left behind.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

from umbrella.audit.chain import GENESIS_HASH, chained_hash
from umbrella.audit.models import AuditEvent

logger = logging.getLogger(__name__)

# Any 64-bit constant; only sealers take it.
_CHAIN_LOCK_KEY = 7_242_001
BATCH = 2000


def _try_lock() -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
            return bool(cursor.fetchone()[0])
    # SQLite: transactions start IMMEDIATE (see settings), so sealers are already one at a time.
    return True


def chain_end() -> tuple[int, str]:
    """The last chained event's position and hash: (0, the genesis hash) for an empty chain."""
    end = (
        AuditEvent.objects.filter(chain_position__isnull=False)
        .order_by("-chain_position")
        .values_list("chain_position", "hash")
        .first()
    )
    if end is None or end[0] is None or end[1] is None:
        return 0, GENESIS_HASH
    return end[0], end[1]


def _seal_batch(batch_size: int) -> int | None:
    """One pass in its own transaction: the number chained, or None when another sealer is at work."""
    with transaction.atomic():
        if not _try_lock():
            return None
        waiting = list(
            AuditEvent.objects.filter(hash__isnull=True).order_by("id").values_list("id", "digest")[:batch_size]
        )
        if not waiting:
            return 0
        position, previous_hash = chain_end()
        rows = []
        for pk, digest in waiting:
            position += 1
            current = chained_hash(previous_hash, digest)
            rows.append((position, previous_hash, current, pk))
            previous_hash = current
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET chain_position = %s, previous_hash = %s, hash = %s "  # noqa: S608 - a model's table name
                "WHERE id = %s AND hash IS NULL",
                rows,
            )
        return len(rows)


def audit_chain_seal(*, batch_size: int = BATCH) -> int:
    """Chains every committed unchained event; returns how many. Returns 0 at once when another
    sealer holds the lock (it will chain them). Must not run inside a transaction that wrote
    events: they would not be visible to the pass, nor the pass's work to anyone until commit."""
    total = 0
    while True:
        sealed = _seal_batch(batch_size)
        if not sealed:
            return total
        total += sealed


def seal_after_commit() -> None:
    """Registered by writers with ``on_commit``; never lets a sealing failure reach the request
    (the events stay protected by their digests, and the next pass or ``audit seal`` chains them)."""
    try:
        audit_chain_seal()
    except Exception:  # noqa: BLE001 - logged; the write it follows has already committed
        logger.exception("audit sealing failed; the events wait for the next pass")


def seal_when_committed() -> None:
    """Asks for one sealing pass after the current transaction commits (once per transaction)."""
    # Entries are (savepoint ids, callback, robust); a savepoint rolled back takes its entry with it.
    if any(entry[1] is seal_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(seal_after_commit)
