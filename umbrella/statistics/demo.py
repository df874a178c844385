"""The demo's statistics: the facts of every demo record, built once the other areas have loaded."""

from __future__ import annotations

from datetime import datetime

from umbrella.statistics.models import RecordFact
from umbrella.statistics.services import facts_rebuild


def load_demo(*, seed: int, now: datetime) -> str:
    rows = facts_rebuild(actor=None)
    counted = RecordFact.objects.filter(countable=True, counts_record=True).count()
    return f"Statistics: {rows} fact rows; {counted} records counted in the collation."
