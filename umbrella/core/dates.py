"""Dates as people write them on every page ("3 April 1998", never ISO or a leading zero), and
calendar-month arithmetic as deadlines and retention periods count it."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def as_written(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def months_on(day: date, months: int) -> date:
    """The same date ``months`` calendar months on (back, when negative), or that month's last day
    when it has no such date (31 January + 1 month: 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_old_cutoff(today: date, months: int) -> datetime:
    """The moment before which something is at least ``months`` calendar months old on ``today``:
    the start of the day after the date ``months`` months back."""
    return timezone.make_aware(datetime.combine(months_on(today, -months) + timedelta(days=1), time.min))
