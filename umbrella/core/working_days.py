"""Working days in England and Wales: Monday to Friday, less the bank holidays.

Victims' Code timescales and the hub's one-working-day review are counted in working days. Bank
holidays come from the ``holidays`` package (England's list, which Wales shares), so a due time
computed on the Thursday before Easter lands on the Tuesday after it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # Imported here: ``holidays`` takes about 0.15 s to import, which every command and test
    # process would pay at start-up whether or not it counts a working day.
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` working days, keeping the local time of day.

    A start outside working days counts from the next working day's same time, so a Saturday
    report with one working day to review is due on Tuesday (Monday being the first day).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = timezone.localtime(start) if timezone.is_aware(start) else start
    day = local.date()
    while not is_working_day(day):
        day += timedelta(days=1)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    moved = datetime.combine(day, local.timetz().replace(tzinfo=None))
    return timezone.make_aware(moved) if timezone.is_aware(start) else moved


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
