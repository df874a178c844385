"""Minimum standards by borough: each borough's share on a board measure (hub reviews within a
working day, victims risk-assessed, timers met, crimes charged...) against the level over every
borough the user counts, on a funnel plot so that a small borough's chance swing is not read as
a failing.

The limits are the binomial's own (Spiegelhalter, "Funnel plots for comparing institutional
performance", Statistics in Medicine 2005): for a borough with n cases, the central 95% and 99.8%
of what n cases at the overall level would give. A borough outside the 99.8% limits differs by
more than chance would often explain; inside the 95% limits, chance explains it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from umbrella.core.charts import PALETTE, Chart, render
from umbrella.core.extensions import BoardMeasure, board_measures, board_measures_by_provider
from umbrella.reference.selectors import current_codes
from umbrella.statistics.selectors import counted_records

if TYPE_CHECKING:
    from umbrella.accounts.models import User

WITHIN = "Within what chance explains"
NEAR_LOW = "Lower than the overall level (outside the 95% limits)"
NEAR_HIGH = "Higher than the overall level (outside the 95% limits)"
LOW = "Lower than the overall level, beyond chance (outside the 99.8% limits)"
HIGH = "Higher than the overall level, beyond chance (outside the 99.8% limits)"
NO_CASES = "No cases to measure"


@dataclass(frozen=True)
class BoroughStandard:
    borough: str
    label: str
    count: int
    out_of: int
    lower_95: float | None
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    band: str

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.out_of, 1) if self.out_of else None


@dataclass(frozen=True)
class Standards:
    measure: str  # its key
    label: str
    count: int
    out_of: int
    boroughs: list[BoroughStandard]
    chart: Chart | None

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.out_of, 1) if self.out_of else None


def measure_key(measure: BoardMeasure) -> str:
    return slugify(f"{measure.section} {measure.label}")


def measure_label(measure: BoardMeasure) -> str:
    return f"{measure.section}: {measure.label}"


def share_measures(measures: Sequence[BoardMeasure]) -> dict[str, str]:
    """The board measures that are shares (they have a denominator), by key: only those can be
    compared between boroughs."""
    return {measure_key(m): measure_label(m) for m in measures if m.out_of is not None}


def limits(n: int, level: float, coverage: float) -> tuple[float, float]:
    """The central ``coverage`` of the share n cases at ``level`` would give, in percent."""
    # Imported here: scipy.stats takes most of a second to import, and every process that loads
    # the URLs (each command, each test worker) would pay it for a page few open.
    from scipy.stats import binom

    tail = (1 - coverage) / 2
    return 100 * float(binom.ppf(tail, n, level)) / n, 100 * float(binom.ppf(1 - tail, n, level)) / n


def band_of(count: int, n: int, level: float) -> tuple[str, tuple[float, float] | None, tuple[float, float] | None]:
    if not n:
        return NO_CASES, None, None
    inner, outer = limits(n, level, 0.95), limits(n, level, 0.998)
    percent = 100 * count / n
    if percent < outer[0]:
        band = LOW
    elif percent > outer[1]:
        band = HIGH
    elif percent < inner[0]:
        band = NEAR_LOW
    elif percent > inner[1]:
        band = NEAR_HIGH
    else:
        band = WITHIN
    return band, inner, outer


def borough_standards(
    *, user: User | None, months: tuple[date, date], measure: str, filters: Mapping[str, str] | None = None,
    kinds: Sequence[str] | None = None, overall: Mapping[str, list[BoardMeasure]] | None = None,
) -> Standards | None:
    """The chosen measure (a key from ``share_measures``) for every borough, against the level over
    all of them. None when the measure is not one of the shares. ``overall``: the measures over
    every borough by provider, when the caller has them already."""
    filters = {name: value for name, value in (filters or {}).items() if name != "borough"}
    # The app that counts the measure, found once over every borough; each borough then asks it alone.
    if overall is None:
        overall = board_measures_by_provider(counted_records(user=user, months=months, filters=filters, kinds=kinds))
    provider = next((name for name, found in overall.items()
                     if any(measure_key(m) == measure and m.out_of is not None for m in found)), None)
    if provider is None:
        return None
    rows: list[tuple[str, str, int, int]] = []
    label = ""
    for code in current_codes(scheme="borough"):
        found = [m for m in board_measures(counted_records(user=user, months=months, filters={**filters, "borough": code.code},
                                                           kinds=kinds), providers=(provider,))
                 if measure_key(m) == measure and m.out_of is not None]
        if found:
            label = measure_label(found[0])
        rows.append((code.code, code.label, found[0].count if found else 0, int(found[0].out_of or 0) if found else 0))
    if not label:
        return None
    count, out_of = sum(row[2] for row in rows), sum(row[3] for row in rows)
    level = count / out_of if out_of else 0.0
    boroughs = []
    for borough, name, n_count, n in rows:
        band, inner, outer = band_of(n_count, n, level)
        lower_95, upper_95 = inner if inner else (None, None)
        lower_998, upper_998 = outer if outer else (None, None)
        boroughs.append(BoroughStandard(borough, name, n_count, n, lower_95, upper_95, lower_998, upper_998, band))
    boroughs.sort(key=lambda b: (b.percent is None, b.percent if b.percent is not None else 0.0, b.label))
    return Standards(measure=measure, label=label, count=count, out_of=out_of, boroughs=boroughs,
                     chart=_funnel_plot(boroughs, level=level, label=label) if out_of else None)


def _funnel_plot(boroughs: list[BoroughStandard], *, level: float, label: str) -> Chart:
    import altair as alt  # imported when drawn: altair is slow to import
    largest = max(b.out_of for b in boroughs)
    steps = sorted({max(1, round(largest * i / 60)) for i in range(61)})
    curve = []
    for n in steps:
        for name, coverage in (("95% limits", 0.95), ("99.8% limits", 0.998)):
            low, high = limits(n, level, coverage)
            curve.append({"n": n, "limit": f"{name} (lower)", "percent": low})
            curve.append({"n": n, "limit": f"{name} (upper)", "percent": high})
    points = [{"n": b.out_of, "percent": b.percent, "borough": b.label} for b in boroughs if b.out_of]
    x = alt.X("n:Q", title="Cases in the borough (the measure's denominator)")
    y = alt.Y("percent:Q", title="Share (%)", scale=alt.Scale(domain=[0, 100]))
    lines = alt.Chart({"values": curve}).mark_line(strokeWidth=1.5).encode(
        x=x, y=y, detail="limit:N",
        strokeDash=alt.condition("indexof(datum.limit, '99.8') >= 0", alt.value([6, 3]), alt.value([2, 2])),
        color=alt.value(PALETTE[7]),
    )
    average = alt.Chart({"values": [{"percent": 100 * level}]}).mark_rule(color=PALETTE[1], strokeWidth=2).encode(y="percent:Q")
    dots = alt.Chart({"values": points}).mark_circle(size=60, color=PALETTE[0], opacity=0.9).encode(x=x, y=y)
    chart = alt.layer(lines, average, dots).properties(width=540, height=300, title=label)
    return render(chart, alt_text=(
        f"Funnel plot of {label.lower()} by borough: each borough a dot, the overall level "
        f"{100 * level:.1f}% a line, with the 95% and 99.8% limits narrowing as boroughs grow. "
        "The table below gives every borough's figures."
    ))


def write_standards_csv(standards: Standards, out: Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["borough", "label", "count", "out_of", "percent", "lower_95", "upper_95", "lower_998", "upper_998", "band"])

    def fmt(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    for b in standards.boroughs:
        writer.writerow([b.borough, b.label, b.count, b.out_of, fmt(b.percent), fmt(b.lower_95), fmt(b.upper_95),
                         fmt(b.lower_998), fmt(b.upper_998), b.band])
