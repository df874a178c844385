"""Dates as people write them on every page: "3 April 1998", never ISO or a leading zero."""

from __future__ import annotations

from datetime import date


def as_written(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
