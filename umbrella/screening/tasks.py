"""Background tasks: thin, take ids."""

from __future__ import annotations

from django_tasks import task

from umbrella.screening.records import screen_record_by_id, screen_records_by_ids


@task()
def screen_record(record_id: int) -> int:
    """Screens one record with the approved model; returns how many suggestions it queued."""
    counts = screen_record_by_id(record_id)
    return counts.unflagged_hate + counts.strand + counts.missing_online


@task()
def screen_record_batch(record_ids: list[int]) -> int:
    """Screens many new records (an import batch) in one pass; returns the suggestions queued."""
    counts = screen_records_by_ids(record_ids)
    return counts.unflagged_hate + counts.strand + counts.missing_online
