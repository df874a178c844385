"""The exceedance method on series whose answer is known: a spike in a steady series is the only
alert; counts too small to mean anything never alert; a season that recurs every year is expected."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from umbrella.tension.detection import (
    Judgement,
    Settings,
    Signal,
    fold_into_sub_categories,
    judge,
    scan,
    scan_with_signals,
    signals,
)


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


def test_a_new_level_is_one_signal_not_an_alert_every_month() -> None:
    # Eight steady years, then the count doubles for good (a recording change): every month of the
    # first new year is above a threshold drawn from earlier years, but it is one signal.
    series = steady(96, 40) + steady(12, 80, seed=2)
    judged = scan(series)
    found = signals(judged)
    late = {index: kind for index, kind in found.items() if index >= 96}
    assert len(late) >= 10, late
    assert late[96] == Signal.NEW
    assert list(found.values()).count(Signal.NEW) <= 3, found


def test_a_run_rises_when_a_period_beats_every_earlier_one_and_continues_otherwise() -> None:
    def alert(index: int, score: float) -> Judgement:
        return Judgement(index, 10, 5.0, 8.0, score, alert=True, too_few=False)

    def quiet(index: int) -> Judgement:
        return Judgement(index, 5, 5.0, 8.0, 0.0, alert=False, too_few=False)

    # One quiet period does not end a signal; two do.
    found = signals([alert(1, 1.5), alert(2, 1.2), alert(3, 2.5), quiet(4), alert(5, 1.1), alert(6, 2.6),
                     quiet(7), quiet(8), alert(9, 1.1)])
    assert found == {1: Signal.NEW, 2: Signal.CONTINUING, 3: Signal.RISING, 5: Signal.CONTINUING, 6: Signal.RISING,
                     9: Signal.NEW}
    assert signals([alert(1, 1.5), quiet(2), alert(3, 1.1)], gap=0) == {1: Signal.NEW, 3: Signal.NEW}


def test_a_strands_total_that_tells_with_one_of_its_sub_categories_is_part_of_that_event() -> None:
    from datetime import date

    may, june = date(2021, 5, 1), date(2021, 6, 1)
    folded = fold_into_sub_categories({
        ("religion", "antisemitic", "london", may): Signal.NEW,
        ("religion", "", "london", may): Signal.NEW,
        ("religion", "", "london", june): Signal.RISING,  # the total alone: told
        ("religion", "anti_muslim", "london", june): Signal.CONTINUING,  # not telling: nothing folds into it
        ("race", "", "london", may): Signal.NEW,
        ("religion", "", "E09000030", may): Signal.NEW,  # another area
    })
    assert folded == {
        ("religion", "antisemitic", "london", may): Signal.NEW,
        ("religion", "", "london", may): Signal.PART,
        ("religion", "", "london", june): Signal.RISING,
        ("religion", "anti_muslim", "london", june): Signal.CONTINUING,
        ("race", "", "london", may): Signal.NEW,
        ("religion", "", "E09000030", may): Signal.NEW,
    }


def test_a_scan_from_part_way_through_a_run_follows_it_back_and_does_not_call_it_new() -> None:
    series = steady(96, 40) + steady(12, 80, seed=2)
    whole = signals(scan(series))
    judged, kinds = scan_with_signals(series, start=100)
    assert [j.index for j in judged] == list(range(100, 108))
    assert kinds == {index: kind for index, kind in whole.items() if index >= 100}
    assert Signal.NEW not in kinds.values()


def test_a_slow_rise_is_gradual_and_a_jump_on_top_of_it_is_told() -> None:
    from umbrella.tension.detection import is_jump

    # Six steady years, then 3% more each month for two years (a force recording more): the
    # seasonal method flags the later months, as history was lower, but no month jumps.
    series = steady(72, 40) + [round(40 * 1.03 ** month) for month in range(1, 25)]
    series[90] = series[89] * 2  # and one month doubles: a spike on top of the drift
    judged = scan(series)
    found = signals(judged)
    told = {index for index, kind in found.items() if kind in (Signal.NEW, Signal.RISING)}
    assert 90 in told and Signal.GRADUAL in found.values()
    assert all(index == 90 or found[index] != Signal.NEW for index in told if index >= 72), found
    assert is_jump(series, 90) and not is_jump(series, 89)
    assert is_jump([5, 5], 1)  # too little history to say it is not


def test_an_alert_far_beyond_its_threshold_is_told_even_after_a_rising_spell() -> None:
    judged = Judgement(1, 300, 100.0, 150.0, 4.0, alert=True, too_few=False, sudden=True)
    assert signals([judged]) == {1: Signal.NEW}
    gradual = Judgement(1, 160, 100.0, 150.0, 1.2, alert=True, too_few=False, sudden=False)
    assert signals([gradual]) == {1: Signal.GRADUAL}
