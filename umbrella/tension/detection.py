"""Exceedance detection for counts over time: the improved Farrington method of public-health
surveillance (Noufaily et al., "An improved algorithm for outbreak detection in multiple
surveillance systems", Statistics in Medicine 32(7), 2013; the ``farringtonFlexible`` method of
the R package ``surveillance``), written here with numpy and scipy.

For each period it judges, the method:

1. takes the reference values: the same time of year in each of the last ``years_back`` years,
   with ``window`` periods either side (for monthly counts: five years × three months = 15 values;
   with less history, what there is, down to one year);
2. fits a quasi-Poisson regression of the reference counts on time (log link), keeping the trend
   only when it is significant at 5% and the fitted value does not exceed every reference value;
3. down-weights past outbreaks: reference values whose Anscombe residual exceeds 2.58 are given
   a weight of about 1/residual², and the model is fitted again;
4. takes the expected count and an upper threshold, the (1 − alpha) quantile of a negative binomial
   with that mean and the fitted over-dispersion (Noufaily's improvement over the 2/3-power
   normal approximation of Farrington 1996);
5. raises an alert when the count exceeds the threshold, except when the counts are too small to
   mean anything: fewer than ``min_recent`` in the period and the ``recent_periods - 1`` before it.

The score is (observed − expected) / (threshold − expected): above 1 is an alert, and its size says
how far beyond the threshold the count went.

A run of alerts in consecutive periods of one series is one signal (``signals``): its first period
is **new**; a later period whose score beats every earlier one in the run is **rising** (a second
event on top of the first, as the EU referendum's July on its June); the rest are **continuing**.
A run goes on through one period without an alert (``RUN_GAP``): a lasting change dips below the
threshold now and then, and each dip would otherwise start a new signal. A strand's total that
tells in the same period as one of its sub-categories is **part** of that sub-category's event, and
is not told again (``fold_into_sub_categories``). A new or rising alert whose count is no jump from
the level of the periods just before it, and not far beyond its threshold, is **gradual**: a slow
rise the seasonal method flags because history was lower (a recording change), listed and not told
(``Judgement.sudden``; on the Met's London series it halves the months in which anyone is told,
and every well-known spike is still told in the month it began).
The method judges each period against the same time of earlier years, so a lasting change of level
(a force recording more, as after the 2014 crime-recording inspections) keeps every period above
threshold until a year of the new level is history: as continuing periods of one signal, people
are told of it once, not every month.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import special

RESIDUAL_LIMIT = 2.58
TREND_P_VALUE = 0.05


@dataclass(frozen=True)
class Settings:
    years_back: int = 5
    window: int = 1  # periods either side of the same time of year
    periods_per_year: int = 12
    alpha: float = 0.01  # one-sided: the threshold is the 99th percentile
    min_recent: int = 5
    recent_periods: int = 4
    # Fewer years of history than ``years_back`` will do, down to this many (a young deployment's
    # own records); each year gives 2 × window + 1 reference values.
    min_years: int = 1
    # Who is told (``signals``): an alert is sudden when its count is also a jump from the level of
    # the periods just before it, more than ``jump_sd`` standard deviations above their mean (the
    # form of the CDC's EARS C1 method: Hutwagner et al., "The bioterrorism preparedness and
    # response Early Aberration Reporting System", J Urban Health 80(2 Suppl 1), 2003; the standard
    # deviation at least the Poisson one), or when it goes ``outright_score`` times as far beyond its
    # threshold as the threshold is above the expected count. Six periods and 2.5 deviations were
    # chosen on the Met's London series (tests/tension/test_scan_the_met.py), not taken from EARS
    # (seven days, three deviations): editable here.
    jump_periods: int = 6
    jump_sd: float = 2.5
    outright_score: float = 3.0


@dataclass(frozen=True)
class Judgement:
    index: int
    observed: int
    expected: float
    threshold: float
    score: float
    alert: bool
    too_few: bool  # below min_recent: never an alert
    # A jump from the recent level, or far beyond the threshold (Settings): an alert that is not
    # sudden is a gradual rise (a recording change, a slow drift), listed but not told of.
    sudden: bool = True


def _poisson_fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Poisson regression with a log link: for the intercept alone, its closed form (the
    log of the weighted mean); with the trend, iteratively reweighted least squares, each step's
    2 × 2 system solved by hand (the scan fits tens of thousands of these)."""
    mean = float(np.dot(weights, y) / weights.sum())
    if x.shape[1] == 1:
        beta = np.array([np.log(max(mean, 1e-10))])
        return beta, np.full(len(y), max(mean, 1e-10))
    t = x[:, 1]
    beta = np.array([np.log(max(mean, 0.5)), 0.0])
    for _ in range(iterations):
        eta = beta[0] + beta[1] * t
        mu = np.maximum(np.exp(eta), 1e-10)
        z = eta + (y - mu) / mu
        w = weights * mu
        s0, s1, s2 = float(w.sum()), float(np.dot(w, t)), float(np.dot(w, t * t))
        r0, r1 = float(np.dot(w, z)), float(np.dot(w * t, z))
        determinant = s0 * s2 - s1 * s1
        if abs(determinant) < 1e-12 * max(s0 * s2, 1e-300):
            break
        updated = np.array([(s2 * r0 - s1 * r1) / determinant, (s0 * r1 - s1 * r0) / determinant])
        if np.max(np.abs(updated - beta)) < 1e-8:
            beta = updated
            break
        beta = updated
    return beta, np.maximum(np.exp(beta[0] + beta[1] * t), 1e-10)


def _fit(times: np.ndarray, counts: np.ndarray, weights: np.ndarray, trend: bool) -> tuple[np.ndarray, float, np.ndarray]:
    x = np.column_stack([np.ones_like(times), times]) if trend else np.ones((len(times), 1))
    beta, mu = _poisson_fit(x, counts, weights)
    dof = max(len(counts) - x.shape[1], 1)
    phi = max(1.0, float(np.sum(weights * (counts - mu) ** 2 / mu) / dof))
    return beta, phi, mu


def _anscombe(counts: np.ndarray, mu: np.ndarray, phi: float) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        residual = 1.5 * (counts ** (2 / 3) - mu ** (2 / 3)) / (np.sqrt(phi) * mu ** (1 / 6))
    cleaned: np.ndarray = np.nan_to_num(residual)
    return cleaned


def judge(series: Sequence[int], index: int, settings: Settings = Settings()) -> Judgement | None:
    """The judgement of ``series[index]`` from the values before it; None without enough history."""
    period = settings.periods_per_year
    reference: list[tuple[int, int]] = []
    for year in range(1, settings.years_back + 1):
        centre = index - year * period
        for offset in range(-settings.window, settings.window + 1):
            at = centre + offset
            if 0 <= at < index:
                reference.append((at, int(series[at])))
    if len(reference) < max(3, settings.min_years * (2 * settings.window + 1)):
        return None
    times = np.array([float(at - index) / period for at, _ in reference])
    counts = np.array([float(count) for _, count in reference])
    observed = int(series[index])
    recent = sum(int(series[at]) for at in range(max(0, index - settings.recent_periods + 1), index + 1))
    too_few = recent < settings.min_recent
    if not counts.any():
        expected, phi, threshold = 0.0, 1.0, float(settings.min_recent)
        score = observed / threshold
        return Judgement(index, observed, expected, threshold, score, observed > threshold and not too_few, too_few)
    weights = np.ones_like(counts)
    beta, phi, mu = _fit(times, counts, weights, trend=True)
    trend = _trend_kept(times, counts, weights, beta, phi)
    for _ in range(2):  # the fit, then once more with past outbreaks down-weighted
        beta, phi, mu = _fit(times, counts, weights, trend=trend)
        residual = _anscombe(counts, mu, phi)
        weights = np.where(residual > RESIDUAL_LIMIT, 1.0 / np.maximum(residual, 1.0) ** 2, 1.0)
        weights = weights * len(weights) / weights.sum()
    expected = float(np.exp(beta[0]))  # time 0 is the period judged
    if trend and expected > counts.max():
        beta, phi, mu = _fit(times, counts, weights, trend=False)
        expected = float(np.exp(beta[0]))
    threshold = max(_upper(expected, phi, settings.alpha), expected)
    score = (observed - expected) / (threshold - expected) if threshold > expected else 0.0
    return Judgement(index, observed, expected, threshold, score, observed > threshold and not too_few, too_few,
                     sudden=score >= settings.outright_score or is_jump(series, index, settings))


def is_jump(series: Sequence[int], index: int, settings: Settings = Settings()) -> bool:
    """Whether ``series[index]`` is more than ``jump_sd`` standard deviations above the mean of the
    ``jump_periods`` periods before it (at least the Poisson deviation, the square root of the
    mean); True without that much history, which cannot say otherwise."""
    if index < settings.jump_periods:
        return True
    before = [float(count) for count in series[index - settings.jump_periods:index]]
    mean = sum(before) / len(before)
    spread = math.sqrt(sum((count - mean) ** 2 for count in before) / len(before))
    return float(series[index]) > mean + settings.jump_sd * max(spread, math.sqrt(max(mean, 1.0)))


def _trend_kept(times: np.ndarray, counts: np.ndarray, weights: np.ndarray, beta: np.ndarray, phi: float) -> bool:
    """Whether the trend's coefficient is significant (Wald test on the quasi-Poisson fit) and
    there are at least three years of reference values to estimate it from."""
    if len(set(np.round(times).tolist())) < 3:
        return False
    mu = np.exp(beta[0] + beta[1] * times)
    x = np.column_stack([np.ones_like(times), times])
    information = (x.T * (weights * mu)) @ x
    try:
        covariance = np.linalg.inv(information) * phi
    except np.linalg.LinAlgError:
        return False
    z = beta[1] / np.sqrt(max(covariance[1, 1], 1e-12))
    return bool(math.erfc(abs(float(z)) / math.sqrt(2)) < TREND_P_VALUE)  # two-sided normal p-value


def _upper(expected: float, phi: float, alpha: float) -> float:
    """The (1 − alpha) quantile of the count: negative binomial with the mean and over-dispersion
    fitted (variance phi × mean); Poisson when there is no over-dispersion. The smallest count whose
    distribution function reaches 1 − alpha, found from the distribution functions scipy's own
    ``poisson.ppf`` and ``nbinom.ppf`` use (``pdtr``, ``betainc``), without their per-call overhead."""
    if expected <= 0:
        return 0.0
    q = 1 - alpha
    if phi <= 1.0 + 1e-9:
        def cdf(k: float) -> float:
            return float(special.pdtr(k, expected))
    else:
        size = expected / (phi - 1.0)
        p = size / (size + expected)

        def cdf(k: float) -> float:
            return float(special.betainc(size, k + 1, p))
    # Start near the answer (a normal approximation) and step to the smallest k with cdf(k) >= q.
    k = max(0.0, math.floor(expected + 2.33 * math.sqrt(expected * max(phi, 1.0))))
    if cdf(k) >= q:
        while k > 0 and cdf(k - 1) >= q:
            k -= 1
    else:
        while cdf(k) < q:
            k += 1
    return float(k)


class Signal:
    NEW = "new"
    RISING = "rising"
    CONTINUING = "continuing"
    # What would be new or rising, but is no jump from the recent level and not far beyond the
    # threshold: a gradual rise, listed and not told of (``Judgement.sudden``).
    GRADUAL = "gradual"
    # A strand's total in a period when one of its sub-categories in the same area starts or raises
    # a signal: the same event, told as the sub-category's (``fold_into_sub_categories``).
    PART = "part"


# A signal goes on through this many periods without an alert: a recording change or a long spell
# of tension dips below the threshold now and then, and each dip would otherwise tell people anew.
RUN_GAP = 1
TOLD = frozenset({Signal.NEW, Signal.RISING})


def signals(judgements: Sequence[Judgement], gap: int = RUN_GAP) -> dict[int, str]:
    """Each alert's place in its signal, by the index of the period judged (see the module's notes);
    ``judgements`` are one series' in order. A signal ends after more than ``gap`` periods
    without an alert."""
    found: dict[int, str] = {}
    previous = -(gap + 2)
    best = 0.0
    for judged in judgements:
        if not judged.alert:
            continue
        if judged.index - previous > gap + 1:
            found[judged.index], best = Signal.NEW, judged.score
        elif judged.score > best:
            found[judged.index], best = Signal.RISING, judged.score
        else:
            found[judged.index] = Signal.CONTINUING
        if found[judged.index] in TOLD and not judged.sudden:
            found[judged.index] = Signal.GRADUAL
        previous = judged.index
    return found


def scan(series: Sequence[int], settings: Settings = Settings(), start: int = 0) -> list[Judgement]:
    """Every period from ``start`` on that has enough history to be judged."""
    judged = (judge(series, index, settings) for index in range(start, len(series)))
    return [judgement for judgement in judged if judgement is not None]


def scan_with_signals(series: Sequence[int], settings: Settings = Settings(), start: int = 0) -> tuple[list[Judgement], dict[int, str]]:
    """``scan`` from ``start`` on, with each alert's place in its signal. A run under way at ``start``
    is followed back (period by period, while they are alerts) so that it is not taken as new: a
    daily run judges its last day and the few before it, not ten years."""
    judged = scan(series, settings, start=start)
    before: list[Judgement] = []
    index, quiet = start - 1, 0
    while index >= 0:
        earlier = judge(series, index, settings)
        if earlier is None:
            break
        if earlier.alert:
            before.insert(0, earlier)
            quiet = 0
        else:
            quiet += 1
            if quiet > RUN_GAP:
                break
        index -= 1
    kinds = signals([*before, *judged])
    return judged, {at: kind for at, kind in kinds.items() if at >= start}


SeriesKey = tuple[str, str, str, date]  # strand, sub-category ("" for the strand's total), area, period


def fold_into_sub_categories(kinds: Mapping[SeriesKey, str]) -> dict[SeriesKey, str]:
    """The same kinds, with a strand's total marked ``part`` in each period when one of its
    sub-categories in the same area starts or raises a signal (new or rising): one event is told
    once, by its most specific series. A total that tells on its own stays as it is."""
    telling = {(strand, area, period) for (strand, sub, area, period), kind in kinds.items() if sub and kind in TOLD}
    return {key: Signal.PART if not key[1] and kind in TOLD and (key[0], key[2], key[3]) in telling else kind
            for key, kind in kinds.items()}
