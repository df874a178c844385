"""Signals other apps listen to, so cases never imports them.

``record_changed`` is sent inside the service's transaction, after its audit event, so a receiver
that writes (the hub's review queue) commits or rolls back with the change itself. Receivers that
start background work (screening) should defer it with ``transaction.on_commit``.

``change`` is one of CHANGES; ``actor`` is the user whose write it was.
"""

from __future__ import annotations

from typing import Final

from django.dispatch import Signal

CREATED: Final = "created"
UPDATED: Final = "updated"
STATUS: Final = "status"
STRANDS: Final = "strands"
PEOPLE: Final = "people"
OFFENCES: Final = "offences"
LINKS: Final = "links"  # linked to another record (sent for both)
SHARES: Final = "shares"  # shared with another organisation, or a share ended
CHANGES: Final = (CREATED, UPDATED, STATUS, STRANDS, PEOPLE, OFFENCES, LINKS, SHARES)

record_changed = Signal()  # kwargs: record, actor, change

# Sent once for many new records written together (imports), inside that transaction, so the same
# follow-up as ``record_changed``'s CREATED runs set-based: receivers must not query per record.
records_created = Signal()  # kwargs: record_ids (list[int]), actor
