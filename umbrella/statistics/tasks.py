"""Background tasks: thin, take ids."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_facts(record_ids: list[int]) -> int:
    """Brings these records' facts up to date; returns the rows written."""
    from umbrella.statistics.services import facts_refresh

    return facts_refresh(record_ids=record_ids)
