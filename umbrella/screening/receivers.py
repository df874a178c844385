"""Screen each new or changed record once its transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from umbrella.cases import signals

SCREENED_CHANGES = frozenset({signals.CREATED, signals.UPDATED, signals.STRANDS})


def on_record_changed(sender: Any, *, record: Any, change: str, **_: Any) -> None:
    if change not in SCREENED_CHANGES:
        return
    record_id = record.pk

    def enqueue() -> None:
        from umbrella.screening.tasks import screen_record

        screen_record.enqueue(record_id)

    transaction.on_commit(enqueue)
