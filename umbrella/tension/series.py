"""The count series the exceedance scan judges: monthly counts per strand (and sub-category) for
London or each borough, from Umbrella's own records (the statistics facts, the collation) or the
Met's imported monthly series (``umbrella stats import mps-monthly``). Counts only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import TruncWeek

from umbrella.statistics.forms import months_between
from umbrella.statistics.models import BaselineCount, BaselineSource
from umbrella.statistics.selectors import as_date, facts_counted_for
from umbrella.tension.detection import Settings

SOURCES = ("umbrella", "mps-monthly")
LEVELS = ("london", "borough")


@dataclass(frozen=True)
class Series:
    strand: str
    sub_category: str
    area: str  # "london" or a borough's GSS code
    months: list[date]
    counts: list[int]


Keyed = list[tuple[date, str, str, str, int]]  # (period start, strand, sub-category, area, count)


def _umbrella_keyed(starts: Any) -> Keyed:
    """Umbrella's own counts (the collation's facts) by period start, strand, sub-category and
    borough, with strand totals as well as each sub-category, as the Met's series has them."""
    facts = (facts_counted_for(None).annotate(starts=starts).values("starts", "strand", "sub_category", "borough")
             .annotate(n=Count("id")))
    keyed = [(as_date(row["starts"]), row["strand"], row["sub_category"], row["borough"] or "", int(row["n"]))
             for row in facts]
    return keyed + [(start, strand, "", area, n) for start, strand, sub, area, n in keyed if sub]


def _series(keyed: Keyed, *, level: str, periods: Callable[[date, date], list[date]]) -> list[Series]:
    """One series per strand, sub-category and area (London, or each borough), over every period
    from the first to the last any series has; a period with no count is a zero."""
    if not keyed:
        return []
    counts: dict[tuple[str, str, str], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for start, strand, sub, area, n in keyed:
        where = "london" if level == "london" else area
        if strand and where:
            counts[(strand, sub, where)][start] += n
    every = periods(min(k[0] for k in keyed), max(k[0] for k in keyed))
    return [Series(strand, sub, area, every, [by_start.get(start, 0) for start in every])
            for (strand, sub, area), by_start in sorted(counts.items())]


def monthly_series(*, source: str, level: str) -> list[Series]:
    """Every series of the source at the level, each over every month from the first to the last
    the source has (a month with no count is a zero)."""
    if source == "umbrella":
        keyed = _umbrella_keyed(F("month"))
    elif source == BaselineSource.MPS_MONTHLY:
        counts_by = (BaselineCount.objects.filter(source=BaselineSource.MPS_MONTHLY, area_kind="borough")
                     .values("month", "strand", "sub_category", "area").annotate(n=Sum("count")))
        keyed = [(row["month"], row["strand"], row["sub_category"], row["area"], int(row["n"])) for row in counts_by]
    else:
        raise ValueError(f"Unknown source {source!r}: {' or '.join(SOURCES)}")
    return _series(keyed, level=level, periods=months_between)


def series_of(*, source: str, strand: str, sub_category: str, area: str) -> Series | None:
    """One series, as ``monthly_series`` gives it (over the months of the whole source, so it is
    judged exactly as the scan judged it), counting only its own rows."""
    if source == "umbrella":
        facts = facts_counted_for(None)
        span = facts.aggregate(first=Min("month"), last=Max("month"))
        rows = facts.filter(strand=strand)
        if sub_category:
            rows = rows.filter(sub_category=sub_category)
        if area != "london":
            rows = rows.filter(borough=area)
        by_month = {row["month"]: int(row["n"]) for row in rows.values("month").annotate(n=Count("id"))}
    elif source == BaselineSource.MPS_MONTHLY:
        counts = BaselineCount.objects.filter(source=BaselineSource.MPS_MONTHLY, area_kind="borough")
        span = counts.aggregate(first=Min("month"), last=Max("month"))
        rows_ = counts.filter(strand=strand, sub_category=sub_category)
        if area != "london":
            rows_ = rows_.filter(area=area)
        by_month = {row["month"]: int(row["n"]) for row in rows_.values("month").annotate(n=Sum("count"))}
    else:
        raise ValueError(f"Unknown source {source!r}: {' or '.join(SOURCES)}")
    if span["first"] is None or not by_month:
        return None
    months = months_between(span["first"], span["last"])
    return Series(strand, sub_category, area, months, [by_month.get(month, 0) for month in months])


PERIODS = ("month", "week", "day")


def period_settings(period: str) -> Settings:
    """The detection's settings for a series' period, as the surveillance literature sets them:
    monthly, the same month ±1 in each past year; weekly, the same week ±3 (Farrington's weekly
    default); daily, the same day ±7, and "too few" judged over the last week rather than the
    last four days."""
    return {
        "month": Settings(),
        "week": Settings(periods_per_year=52, window=3),
        "day": Settings(periods_per_year=365, window=7, recent_periods=7),
    }[period]


def period_series(*, source: str, level: str, period: str) -> list[Series]:
    """Every series of the source at the level by month, week (from its Monday) or day, each over
    every period from the first to the last the source has (a period with no count is a zero).
    ``Series.months`` then holds each period's first day. The Met's series is monthly only."""
    if period == "month":
        return monthly_series(source=source, level=level)
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}: {', '.join(PERIODS)}")
    if source != "umbrella":
        raise ValueError("The Met's published series is monthly: scan it by month")
    step = timedelta(days=7 if period == "week" else 1)

    def every(first: date, last: date) -> list[date]:
        return [first + step * i for i in range((last - first) // step + 1)]

    return _series(_umbrella_keyed(TruncWeek("reported_on") if period == "week" else F("reported_on")),
                   level=level, periods=every)
