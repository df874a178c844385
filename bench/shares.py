"""Scoping with many records shared in, and counts that stop at a cap (issue 15).

The reporting centre's records (a tenth of the load, or more with ``centre_share``) are shared with
the force, up to ``BENCH_SHARES`` of them, straight into the shares table (setup, not a target).
The officer's record list, its deep pages, the API list and record pages (a shared record and one
of the force's own) are then timed as in ``pages``, and each list beside the same page of records
fetched bare (the ORM query of the first 50 of the force's own records, newest first, nothing
scoped, rendered or audited) in the same run. The shares are removed at the end, so the sections
after this one see the load as it was.

The capped count (``core.pagination.CappedPaginator``, COUNT over a LIMIT of 10,001) is timed beside
the exact count of every visible record it replaced.
"""

from __future__ import annotations

import random
from typing import Any

from bench.pages import (
    DETAIL_P95_TARGET_MS,
    LIST_P95_TARGET_MS,
    _client,
    bare_p95,
    timed_against_bare,
)
from bench.report import Measurement, Results, note, percentile, time_calls
from bench.world import BenchWorld


def _share_centre_records(world: BenchWorld, how_many: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sharing_recordshare (record_id, organisation_id, scope, granted_by_id, legal_basis,"
            " consent_reference, reason, granted_at, revocation_reason)"
            " SELECT id, %s, 'full', NULL, '', 'BENCH-CONSENT', '', CURRENT_TIMESTAMP, ''"
            " FROM cases_record WHERE organisation_id = %s ORDER BY id LIMIT %s",
            [world.force_id, world.centre_id, how_many],
        )
        shared = cursor.rowcount
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return int(shared)


def run_shares(results: Results, *, backend: str, world: BenchWorld, requests: int, shares: int, seed: int = 11) -> None:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record, RecordShare
    from umbrella.cases.selectors import RecordFilters, record_list
    from umbrella.core.pagination import CappedPaginator

    shared = _share_centre_records(world, shares)
    results.add(Measurement(backend, "records shared with the force (setup, not a target)", shared, "shares", "", "",
                            "the centre's records, shared in one INSERT"))
    try:
        officer = User.objects.get(pk=world.officer_id)
        client = _client(world.officer_id)
        rng = random.Random(seed)
        shared_ids = list(RecordShare.objects.filter(organisation_id=world.force_id).values_list("record_id", flat=True)[:200])
        own_ids = list(Record.objects.filter(organisation_id=world.force_id).order_by("?").values_list("pk", flat=True)[:200])
        extra: dict[str, Any] = {"records": Record.objects.count(), "shares": shared}
        label = f"{shared:,} shares"
        note(f"{backend}: timing scoped pages with {label}")

        newest = bare_p95(
            results, backend=backend, name="the force's 50 newest records", count=requests,
            query=lambda i: list(Record.objects.filter(organisation_id=world.force_id).order_by("-reported_at", "-id")
                                 .values_list("pk", "reference", "reported_at")[:50]),
            detail="the ORM query alone, nothing scoped, rendered or audited")
        pages = [
            ("record list page", lambda i: "/records/", LIST_P95_TARGET_MS),
            ("record list page, page 2-200", lambda i: f"/records/?page={2 + i % 199}", LIST_P95_TARGET_MS),
            ("API list", lambda i: "/api/v1/records/", LIST_P95_TARGET_MS),
            ("record detail page, a shared record", lambda i: f"/records/{rng.choice(shared_ids)}/", DETAIL_P95_TARGET_MS),
            ("record detail page, the force's own", lambda i: f"/records/{rng.choice(own_ids)}/", DETAIL_P95_TARGET_MS),
        ]
        for name, urls, target in pages:
            timed_against_bare(results, backend=backend, name=f"{name}, {label}", client=client, urls=urls,
                               count=requests, target_ms=target, extra=extra, bare_p95=newest)
        visible = record_list(user=officer, filters=RecordFilters())
        capped = time_calls(lambda _: CappedPaginator(visible.all(), 50).count, count=requests)
        exact = time_calls(lambda _: visible.all().count(), count=max(3, requests // 5))
        results.add(Measurement(backend, f"list count capped at 10,000, {label} p95", percentile(capped, 95), "ms", "", "",
                                "COUNT over a LIMIT of 10,001", {"samples_ms": capped}))
        results.add(Measurement(backend, f"list count, exact (before), {label} p95", percentile(exact, 95), "ms", "", "",
                                "COUNT of every visible record", {"samples_ms": exact}))
    finally:
        RecordShare.objects.filter(consent_reference="BENCH-CONSENT").delete()
