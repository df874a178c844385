"""Database housekeeping shared by bulk writers."""

from __future__ import annotations

from django.db import connection


def planner_statistics_refresh() -> None:
    """Refreshes the query planner's statistics after a bulk load.

    Without them SQLite guesses which index to use and may sort a whole organisation's records
    for every list page instead of walking the (organisation, reported_at) index; PostgreSQL's
    autovacuum gets there eventually, but not before the first users do.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
