"""The triage queue after a surge (issue 15): ``BENCH_OPEN_REPORTS`` (10,000) open reports waiting
for the force, written straight into the reports table (setup, not a target; each carries the same
encrypted answers, which the queue never opens). The officer's queue, its first page and deep pages,
is timed as in ``pages`` and set against its bare query in the same run: the oldest 50 open reports
of the force, nothing scoped, annotated or rendered. The reports are removed at the end.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.pages import LIST_P95_TARGET_MS, _client, bare_p95, timed_against_bare
from bench.report import Measurement, Results, note
from bench.world import BenchWorld

REFERENCE_PREFIX = "BQ"  # references of the bench's reports, removed at the end
BATCH = 2_000


def _open_reports(world: BenchWorld, how_many: int) -> int:
    from django.db import connection
    from django.utils import timezone

    from umbrella.intake.answers import ReportAnswers, answers_encrypt
    from umbrella.intake.models import Report, ReportChannel, ReportStatus

    answers = answers_encrypt(ReportAnswers(narrative="A bench report: shouted at in the street.", strands=("race",)),
                              organisation_id=world.force_id)
    start = timezone.now() - timedelta(days=30)
    made = 0
    while made < how_many:
        batch = [
            Report(organisation_id=world.force_id, reference=f"{REFERENCE_PREFIX}{i:07d}", channel=ReportChannel.ONLINE,
                   status=ReportStatus.NEW, answers=answers, strand_codes=["race"],
                   submitted_at=start + timedelta(seconds=i * 10))
            for i in range(made, min(how_many, made + BATCH))
        ]
        Report.objects.bulk_create(batch)
        made += len(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE intake_report" if connection.vendor == "postgresql" else "ANALYZE")
    return made


def run_triage(results: Results, *, backend: str, world: BenchWorld, requests: int, open_reports: int) -> None:
    from umbrella.intake.models import OPEN_STATUSES, Report

    made = _open_reports(world, open_reports)
    results.add(Measurement(backend, "open reports in the force's triage queue (setup, not a target)", made, "reports",
                            "", "", "written in batches of 2,000"))
    try:
        client = _client(world.officer_id)
        label = f"{made:,} open reports"
        note(f"{backend}: timing the triage queue with {label}")

        oldest = bare_p95(
            results, backend=backend, name="the force's 50 oldest open reports", count=requests,
            query=lambda i: list(Report.objects.filter(organisation_id=world.force_id, status__in=OPEN_STATUSES)
                                 .order_by("submitted_at", "id").values_list("pk", "reference", "submitted_at")[:50]),
            detail="the ORM query alone, nothing scoped, annotated or rendered")
        extra: dict[str, Any] = {"open_reports": made}
        last_page = max(1, min(200, made // 50))
        pages = [
            ("triage queue", lambda i: "/intake/triage/"),
            ("triage queue, deep pages", lambda i: f"/intake/triage/?page={2 + i % max(1, last_page - 1)}"),
        ]
        for name, urls in pages:
            timed_against_bare(results, backend=backend, name=f"{name}, {label}", client=client, urls=urls,
                               count=requests, target_ms=LIST_P95_TARGET_MS, extra=extra, bare_p95=oldest)
    finally:
        Report.objects.filter(organisation_id=world.force_id, reference__startswith=REFERENCE_PREFIX).delete()
