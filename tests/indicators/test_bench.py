"""The throughput benchmark runs and reports its figures (speed itself is measured by make bench)."""

from __future__ import annotations

from bench.indicators import run_indicator_bench


def test_the_indicator_bench_reports_throughput() -> None:
    figures = run_indicator_bench(500)
    assert figures["narratives"] == 500 and figures["match_per_second"] > 0
    assert figures["rules"] > 200 and figures["target_per_second"] == 20_000
