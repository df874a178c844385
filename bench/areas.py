"""Benchmarks of the reporting, review, risk and care areas, recorded as Measurements in bench.suite.

Each area's module (bench/indicators.py, bench/screening.py, bench/risk.py, bench/care.py,
bench/reporting_load.py) does the work and returns its figures; this module turns them into rows.
"""

from __future__ import annotations

import os
from typing import Any

from bench.report import Measurement, Results, verdict_at_least, verdict_below


def _size(name: str, full: int, quick: int) -> int:
    raw = os.environ.get(name, "").replace("_", "").replace(",", "")
    if raw:
        return int(raw)
    return quick if os.environ.get("BENCH_QUICK") == "1" else full


def run_indicators(results: Results, *, backend: str) -> None:
    from bench.indicators import run_indicator_bench

    n = _size("BENCH_INDICATOR_N", 100_000, 5_000)
    figures = run_indicator_bench(n)
    per_second = float(figures["match_per_second"])
    results.add(Measurement(
        backend, "bias indicators: match() on one core", per_second, "narratives/s", ">= 20,000",
        verdict_at_least(per_second, 20_000),
        f"{n:,} synthetic narratives, mean {figures['mean_chars']} chars, {figures['rules']} rules, CPU time, best of passes",
        extra=figures,
    ))


def run_repeat_victims(results: Results, *, backend: str, url: str) -> None:
    from bench.risk import run_repeat_bench

    n = _size("BENCH_RISK_RECORDS", 1_000_000, 20_000)
    figures = run_repeat_bench(url, n)
    median = float(figures["median_ms"])
    results.add(Measurement(
        backend, f"repeat-victim detection: 1 new record vs {figures['records']:,}", median, "ms (median)", "< 200 ms",
        verdict_below(median, 200), f"p95 {figures['p95_ms']} ms; data built in {figures['load_s']} s", extra=figures,
    ))


def run_care_timers(results: Results, *, backend: str) -> None:
    from bench.care import run_timers_bench_here

    n = _size("BENCH_CARE_CASES", 100_000, 5_000)
    figures = run_timers_bench_here(n)
    job_s = float(figures["job_s"])
    results.add(Measurement(
        backend, f"Victims' Code daily timers job over {n:,} open cases", job_s, "s", "< 30 s", verdict_below(job_s, 30),
        f"{figures['missed']:,} marked missed, {figures['created']:,} progress timers created; idle re-run {figures['second_run_s']} s",
        extra=figures,
    ))


def run_screening(results: Results, *, backend: str) -> None:
    from bench import screening

    screening.run_throughput(results, backend=backend, n=screening.screen_n())


def run_screening_quality(results: Results, *, backend: str) -> Any:
    from bench import screening

    return screening.run_quality(results, backend=backend)


def run_screening_functional(results: Results, *, backend: str) -> Any:
    from bench import screening

    return screening.run_functional(results, backend=backend)


def run_reporting_load(results: Results, *, database_url: str) -> None:
    """50 concurrent public submitters against gunicorn on PostgreSQL (bench/reporting_load.py)."""
    from urllib.parse import urlsplit, urlunsplit

    from bench.reporting_load import run_reporting_load as drive

    parts = urlsplit(database_url)
    url = urlunsplit((parts.scheme, parts.netloc, "/umbrella_reporting_bench", "", ""))
    seconds = _size("BENCH_REPORTING_SECONDS", 120, 30)
    figures = drive(url, seconds)
    lost = float(figures["lost"])
    results.add(Measurement(
        "postgresql", f"public reports lost ({figures['submitters']} submitters, {figures['seconds']} s)", lost,
        "reports", "0", "met" if lost == 0 else "missed",
        f"{figures['submissions']:,} confirmed, {figures['stored_and_readable']:,} stored and readable; "
        f"{figures['errors']} client errors", extra={k: v for k, v in figures.items() if k != "steps"},
    ))
    results.add(Measurement(
        "postgresql", "public report submissions per second", float(figures["submissions_per_s"]), "reports/s",
    ))
    trivial = figures["trivial_view"]
    results.add(Measurement(
        "postgresql", "trivial view p95 under the same load", float(trivial["p95_ms"]), "ms", "",
        "", f"{trivial['alone_p95_ms']} ms alone: the load slows it {trivial['slowdown']}×",
    ))
    for step, timing in figures["steps"].items():
        p95 = float(timing["p95_ms"])
        results.add(Measurement(
            "postgresql", f"report journey step '{step}' p95", p95, "ms", "< 500 ms", verdict_below(p95, 500),
            f"p50 {timing['p50_ms']} ms over {timing['n']:,} requests; {timing['p95_ms']} ms is "
            f"{timing.get('slowdown')}× its {timing.get('alone_p95_ms')} ms alone",
        ))
    ratio = float(figures["worst_step_slowdown_x_trivial"])
    results.add(Measurement(
        "postgresql", "worst step's slowdown under load, as a multiple of the trivial view's", ratio, "×", "≤ 3×",
        "met" if ratio <= 3 else "missed",
        f"think time {figures['think_seconds']} s; waiting on a lock slows a step and not the trivial view",
    ))
