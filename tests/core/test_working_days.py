from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from umbrella.core.working_days import add_working_days, is_working_day, working_days_between

LONDON = ZoneInfo("Europe/London")


def test_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England and Wales)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is a working day here
    assert not is_working_day(date(2026, 11, 21))  # Saturday


def test_one_working_day_over_easter() -> None:
    maundy_thursday = datetime(2026, 4, 2, 15, 30, tzinfo=LONDON)
    assert add_working_days(maundy_thursday, 1) == datetime(2026, 4, 7, 15, 30, tzinfo=LONDON)


def test_weekend_start_counts_from_monday() -> None:
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=LONDON)
    assert add_working_days(saturday, 1) == datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    assert add_working_days(saturday, 0) == datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


def test_two_working_days_over_christmas() -> None:
    assert add_working_days(datetime(2026, 12, 24, 9, 0, tzinfo=LONDON), 2) == datetime(2026, 12, 30, 9, 0, tzinfo=LONDON)


def test_negative_days_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 5, tzinfo=LONDON), -1)


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 24)) == 0
