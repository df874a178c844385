"""Weekly and daily series: Umbrella's own counts by week and day, judged with the settings the
surveillance literature gives each period, and only the periods asked for."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record, strand
from umbrella.statistics.services import facts_rebuild
from umbrella.tension.detection import scan
from umbrella.tension.series import period_series, period_settings


@pytest.mark.parametrize(("period", "per_year"), [("day", 365), ("week", 52)])
def test_a_spike_in_a_steady_daily_or_weekly_series_is_found_and_little_else_is(period: str, per_year: int) -> None:
    rng = np.random.default_rng(5)
    counts = list(rng.poisson(4, 3 * per_year))
    counts[-1] = 25
    judged = scan(counts, period_settings(period), start=2 * per_year)
    assert judged[-1].alert and judged[-1].observed == 25
    assert sum(j.alert for j in judged[:-1]) <= 0.03 * len(judged)  # about 1% by design, at most a few


def test_umbrellas_records_make_daily_and_weekly_series_the_command_judges(world: World) -> None:
    today = timezone.localdate()
    for days_ago in (1, 1, 2, 9, 400):
        make_record(actor=world.officer, days_ago=days_ago, strands=[strand("race")])
    facts_rebuild(actor=None)
    [daily] = [s for s in period_series(source="umbrella", level="london", period="day") if not s.sub_category]
    assert daily.strand == "race" and len(daily.months) == 400 and daily.months[0] == today - timedelta(days=400)
    assert sum(daily.counts) == 5 and daily.counts[-1] == 2  # yesterday's two (the series ends on the last day counted)
    [weekly] = [s for s in period_series(source="umbrella", level="london", period="week") if not s.sub_category]
    assert all(start.weekday() == 0 for start in weekly.months) and sum(weekly.counts) == 5
    out = StringIO()
    call_command("tension_scan", "--source", "umbrella", "--period", "day", "--all", "--from",
                 f"{today - timedelta(days=2):%Y-%m-%d}", "--out", "-", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "period_start,strand,sub_category,area,observed,expected,threshold,score,signal"
    # Only the two days asked for are judged (the day before yesterday and yesterday).
    assert [line.split(",")[0] for line in lines[1:]] == [f"{today - timedelta(days=2):%Y-%m-%d}",
                                                          f"{today - timedelta(days=1):%Y-%m-%d}"]
    with pytest.raises(CommandError, match="monthly"):
        call_command("tension_scan", "--source", "mps-monthly", "--period", "week", "--out", "-", stdout=StringIO())
