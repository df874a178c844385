"""The exceedance method on series whose answer is known: a spike in a steady series is the only
alert; counts too small to mean anything never alert; a season that recurs every year is expected."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from umbrella.tension.detection import Settings, judge, scan


def steady(months: int, mean: float, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    # Poisson by inversion: enough for a test's steady series.
    out = []
    for _ in range(months):
        count, p, threshold = 0, 1.0, 2.718281828 ** -mean
        while True:
            p *= rng.random()
            if p <= threshold:
                break
            count += 1
        out.append(count)
    return out


def test_a_spike_in_a_steady_series_is_found_and_little_else_is() -> None:
    series = steady(96, 40)
    series[80] = 95
    judged = scan(series)
    alerts = {j.index: j for j in judged if j.alert}
    assert 80 in alerts and alerts[80].expected < 50 < alerts[80].threshold < 95 and alerts[80].score > 1
    # The threshold is the 99th percentile: a steady series alerts about once in a hundred months.
    assert len(alerts) - 1 <= 0.05 * len(judged)


def test_small_counts_never_alert_however_unusual() -> None:
    series = [0] * 72
    series[70] = 3  # from nothing to three: unusual, but too few to mean anything
    judged = judge(series, 70)
    assert judged is not None and judged.too_few and not judged.alert


def test_a_season_that_recurs_every_year_is_expected() -> None:
    series = [60 if month % 12 == 6 else 30 for month in range(96)]  # every July is busy
    assert not [j for j in scan(series) if j.alert and j.index % 12 == 6]


def test_a_period_is_judged_from_a_years_history_or_more() -> None:
    assert judge([10] * 12, 11) is None
    assert judge([10] * 14, 13) is not None
    assert judge([10] * 30, 29, Settings(min_years=5)) is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=61, max_size=80))
def test_whatever_the_counts_the_threshold_is_above_the_expected_and_the_score_is_finite(counts: list[int]) -> None:
    for judged in scan(counts):
        assert judged.threshold >= judged.expected >= 0
        assert judged.score == judged.score and abs(judged.score) < float("inf")
        assert judged.alert == (judged.observed > judged.threshold and not judged.too_few)
