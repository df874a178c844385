"""Background tasks: thin, take ids."""

from __future__ import annotations

from django_tasks import task

from umbrella.screening.records import screen_record_by_id


@task()
def screen_record(record_id: int) -> int:
    """Screens one record with the approved model; returns how many suggestions it queued."""
    counts = screen_record_by_id(record_id)
    return counts.unflagged_hate + counts.strand + counts.missing_online
