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


# Ids per background task when many records arrive at once (an import batch).
BATCH = 500


def on_records_created(sender: Any, *, record_ids: list[int], **_: Any) -> None:
    """Many new records (an import): screened after commit in batches, one task per batch."""
    ids = list(record_ids)
    if not ids:
        return

    def enqueue() -> None:
        from umbrella.screening.tasks import screen_record_batch

        for start in range(0, len(ids), BATCH):
            screen_record_batch.enqueue(ids[start:start + BATCH])

    transaction.on_commit(enqueue)


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.cases.signals import record_changed, records_created
    from umbrella.core.extensions import NavEntry, register_navigation
    from umbrella.screening.policy import can_view_models

    record_changed.connect(on_record_changed, dispatch_uid="screening.on_record_changed")
    records_created.connect(on_records_created, dispatch_uid="screening.on_records_created")
    register_navigation(NavEntry("Screening models", "/screening/models/", allowed=can_view_models, order=60))
    from umbrella.core.worklist import register_worklist_provider
    from umbrella.screening.monitoring import disparity_work_items

    register_worklist_provider("screening.disparity", disparity_work_items)
