"""The aggregate layer at scale (issue 11): building the facts, the dashboard's counts against the
same count over the records table, and preparing an open data release.

``run_statistics(results, backend, world, requests)`` runs inside ``bench.suite`` on its loaded
records: ``facts_rebuild`` once (rows per second), then each dashboard query (by month, strand and
borough over twelve months, as ``/statistics/`` asks) ``requests`` times, beside the bare count of
the same records from the records table, and one ``release_prepare`` (disclosure control and its
audit) over the last twelve whole months.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.report import Measurement, Results, note, percentile, time_calls

DASHBOARD_TARGET_MS = 100.0


def run_statistics(results: Results, *, backend: str, world: Any, requests: int) -> None:
    from django.utils import timezone

    from umbrella.accounts.models import User
    from umbrella.cases.models import Record
    from umbrella.statistics.forms import last_twelve_whole_months, months_back
    from umbrella.statistics.releases import release_prepare
    from umbrella.statistics.selectors import stat_table
    from umbrella.statistics.services import facts_rebuild

    started = time.perf_counter()
    rows = facts_rebuild(actor=None)
    seconds = time.perf_counter() - started
    records = Record.objects.count()
    results.add(Measurement(backend, "statistics facts rebuild", records / seconds, "records/s", "", "",
                            f"{records:,} records, {rows:,} fact rows in {seconds:.1f} s"))
    note(f"{backend}: facts rebuilt, {rows:,} rows in {seconds:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:  # the visibility map and statistics autovacuum would keep
        cursor.execute("VACUUM ANALYZE statistics_recordfact" if connection.vendor == "postgresql" else "ANALYZE")

    first, last = last_twelve_whole_months(timezone.localdate())
    months = (first, last)
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(months_back(last, 0), datetime.min.time(), tzinfo=zone)
    # The bare query: the same records counted from the records table by a range on its own column.
    bare = time_calls(lambda _: Record.objects.filter(reported_at__gte=start, reported_at__lt=end)
                      .exclude(status="draft").count(), count=requests)
    bare_p95 = percentile(bare, 95)
    results.add(Measurement(backend, "statistics: bare count over the records table p95", bare_p95, "ms", "", "",
                            "the same twelve months counted straight from the records (the baseline)"))
    for dimension in ("month", "strand", "borough"):
        samples = time_calls(lambda _, d=dimension: stat_table(user=None, by=[d], months=months), count=requests)
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        verdict = "met" if p95 < DASHBOARD_TARGET_MS else "missed"
        results.add(Measurement(
            backend, f"statistics dashboard query by {dimension} p95", p95, "ms", f"< {DASHBOARD_TARGET_MS:.0f} ms",
            verdict, f"p50 {p50:.1f} ms; {p95 / bare_p95:.2f}x the bare count's p95 ({bare_p95:.1f} ms)",
            {"samples_ms": samples},
        ))

    supervisor = User.objects.get(pk=world.supervisor_id)
    started = time.perf_counter()
    release = release_prepare(actor=supervisor, first_month=first, last_month=last)
    seconds = time.perf_counter() - started
    results.add(Measurement(backend, "open data release prepare (disclosure control)", seconds * 1000, "ms", "", "",
                            release.audit_summary.replace("\n", " | ")))


TENSION_MET_TARGET_S = 10.0
TENSION_DAILY_TARGET_S = 30.0
MPS_FILE = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "london-mps-hate-crime"
            / "MPS_Monthly_Crime_Other_Crime_Borough_Level_Off_Type.csv")


def run_tension(results: Results, *, backend: str) -> None:
    """The exceedance scan (issue 12): the Met's whole monthly series by borough (imported from
    ../shared/data, skipped with a note when absent; target under 10 s), and Umbrella's own monthly
    series by borough over the loaded records' facts (built first when the statistics section did
    not run). Each time covers reading the series from the database and judging every month."""
    from django.core.management import call_command

    from umbrella.statistics.models import RecordFact
    from umbrella.statistics.services import facts_rebuild
    from umbrella.tension.detection import scan
    from umbrella.tension.series import monthly_series, period_series, period_settings

    def timed_scan(source: str) -> tuple[float, int, int, int]:
        started = time.perf_counter()
        series = monthly_series(source=source, level="borough")
        judged = [scan(one.counts) for one in series]
        seconds = time.perf_counter() - started
        return seconds, len(series), sum(len(j) for j in judged), sum(1 for j in judged for one in j if one.alert)

    if MPS_FILE.exists():
        from io import StringIO

        call_command("stats_import", "mps-monthly", str(MPS_FILE), stdout=StringIO())
        seconds, count, months, alerts = timed_scan("mps-monthly")
        results.add(Measurement(
            backend, "tension scan, the Met's monthly series by borough", seconds, "s", f"< {TENSION_MET_TARGET_S:.0f} s",
            "met" if seconds < TENSION_MET_TARGET_S else "missed",
            f"{count} series, {months:,} months judged, {alerts:,} alerts ({MPS_FILE.name})",
        ))
    else:
        note(f"tension: {MPS_FILE} is absent; the Met's scan skipped")
    if not RecordFact.objects.exists():
        facts_rebuild(actor=None)
    seconds, count, months, alerts = timed_scan("umbrella")
    results.add(Measurement(
        backend, "tension scan, Umbrella's monthly series by borough", seconds, "s", "", "",
        f"{count} series, {months:,} months judged, {alerts:,} alerts, from the loaded records' facts",
    ))
    # The daily run: every daily series by borough read from the facts, and its last day judged.
    started = time.perf_counter()
    daily = period_series(source="umbrella", level="borough", period="day")
    settings = period_settings("day")
    judged = [scan(one.counts, settings, start=len(one.counts) - 1) for one in daily]
    seconds = time.perf_counter() - started
    results.add(Measurement(
        backend, "tension daily scan, Umbrella's records by borough", seconds, "s", f"< {TENSION_DAILY_TARGET_S:.0f} s",
        "met" if seconds < TENSION_DAILY_TARGET_S else "missed",
        f"{len(daily)} daily series of {len(daily[0].counts) if daily else 0:,} days; the last day judged "
        f"({sum(len(j) for j in judged)} judgements, {sum(1 for j in judged for one in j if one.alert)} alerts)",
    ))
