"""Page and API timings through Django's test client, signed in as an officer (no network in the figure)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from bench.report import Measurement, Results, note, percentile, time_calls, verdict_below
from bench.world import BenchWorld

LIST_P95_TARGET_MS = 200.0
FUNNEL_P95_TARGET_MS = 300.0
DETAIL_P95_TARGET_MS = 150.0


def _client(user_id: int) -> Any:
    from django.test import Client

    from umbrella.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _probe(client: Any, url: str) -> str | None:
    """None when the URL answers 200; otherwise why it cannot be timed (page not built yet, error...)."""
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 - any failure means "not measurable", reported as such
        return f"GET {url} raised {type(exc).__name__}: {exc}"[:200]
    if response.status_code != 200:
        return f"GET {url} answered {response.status_code}"
    return None


def _timed_gets(
    results: Results, *, backend: str, name: str, client: Any, urls: Callable[[int], str], count: int,
    target_ms: float, extra: dict[str, Any], note_: str = "",
) -> None:
    problem = _probe(client, urls(0))
    if problem is not None:
        for stat in ("p50", "p95"):
            results.add(Measurement(backend, f"{name} {stat}", None, "ms", f"p95 < {target_ms:.0f} ms", "n/a", problem))
        return
    statuses: set[int] = set()

    def call(i: int) -> None:
        response = client.get(urls(i))
        statuses.add(response.status_code)

    samples = time_calls(call, count=count)
    detail = f"{count} requests" + (f"; {note_}" if note_ else "")
    detail += "" if statuses == {200} else f"; statuses seen {sorted(statuses)}"
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    results.add(Measurement(backend, f"{name} p50", p50, "ms", "", "", detail, {**extra, "samples_ms": samples}))
    results.add(
        Measurement(backend, f"{name} p95", p95, "ms", f"< {target_ms:.0f} ms", verdict_below(p95, target_ms), detail, extra)
    )


def timed_against_bare(
    results: Results, *, backend: str, name: str, client: Any, urls: Callable[[int], str], count: int,
    target_ms: float, extra: dict[str, Any], bare_p95: float, note_: str = "",
) -> None:
    """``_timed_gets``, then its p95 as a ratio to the bare query's p95 from the same run."""
    _timed_gets(results, backend=backend, name=name, client=client, urls=urls, count=count,
                target_ms=target_ms, extra=extra, note_=note_)
    timed = next((m for m in reversed(results.measurements) if m.name == f"{name} p95"), None)
    if timed is not None and timed.value is not None and bare_p95:
        results.add(Measurement(backend, f"{name}: ratio to the bare query", timed.value / bare_p95,
                                "x", "", "", "p95 over the bare query's p95, same run"))


def bare_p95(results: Results, *, backend: str, name: str, query: Callable[[int], Any], count: int, detail: str) -> float:
    """Times ``query`` (an ORM query alone: nothing scoped, rendered or audited) and records its p95,
    the figure each page in the same run is set against."""
    samples = time_calls(query, count=count)
    p95 = percentile(samples, 95)
    results.add(Measurement(backend, f"bare query: {name} p95", p95, "ms", "", "", detail, {"samples_ms": samples}))
    return p95


def run_pages(results: Results, *, backend: str, world: BenchWorld, requests: int, seed: int = 7) -> None:
    from django.db.models import Count

    from umbrella.cases.models import Record

    client = _client(world.officer_id)
    records = Record.objects.count()
    rng = random.Random(seed)
    ids = list(
        Record.objects.filter(organisation_id=world.force_id).order_by("?").values_list("pk", flat=True)[: max(requests * 2, 50)]
    )
    strand = _common_strand()
    extra = {"records": records}
    visible, matching = _matching(world, strand)
    every = f"{visible:,} records visible to the officer, 50 a page"
    narrowed = f"{matching:,} of {visible:,} visible records match"
    note(f"{backend}: timing pages over {records:,} records, {requests} requests each")
    # What each page is set against: the same rows fetched by the ORM alone, in this run.
    newest = bare_p95(
        results, backend=backend, name="the force's 50 newest records", count=requests,
        query=lambda i: list(Record.objects.filter(organisation_id=world.force_id).order_by("-reported_at", "-id")
                             .values_list("pk", "reference", "reported_at")[:50]),
        detail="the ORM query alone, nothing scoped, rendered or audited")
    one = bare_p95(
        results, backend=backend, name="one record by its id", count=requests,
        query=lambda i: list(Record.objects.filter(pk=rng.choice(ids)).values_list("pk", "reference", "narrative")),
        detail="a random record's row alone, nothing decrypted, scoped, rendered or audited")
    # Newest first, as an officer opens it; then a strand filter, then deep pages. Lists are set
    # against the 50 newest records fetched bare, record pages against one record's row.
    timed: list[tuple[str, Callable[[int], str], float, float, str]] = [
        ("record list page", lambda i: "/records/", LIST_P95_TARGET_MS, newest, every),
        *([(f"record list page, strand={strand}", lambda i: f"/records/?strand={strand}", LIST_P95_TARGET_MS, newest,
            narrowed)] if strand else []),
        ("record list page, page 2-20", lambda i: f"/records/?page={2 + i % 19}", LIST_P95_TARGET_MS, newest, ""),
        ("API list", lambda i: "/api/v1/records/", LIST_P95_TARGET_MS, newest, every),
        *([(f"API list, strand={strand}", lambda i: f"/api/v1/records/?strand={strand}", LIST_P95_TARGET_MS, newest,
            narrowed)] if strand else []),
        ("record detail page", lambda i: f"/records/{rng.choice(ids)}/", DETAIL_P95_TARGET_MS, one,
         "random records; each view writes its audit event"),
        ("API retrieve", lambda i: f"/api/v1/records/{rng.choice(ids)}/", DETAIL_P95_TARGET_MS, one, ""),
    ]
    for name, urls, target, bare, said in timed:
        timed_against_bare(results, backend=backend, name=name, client=client, urls=urls, count=requests,
                           target_ms=target, extra=extra, bare_p95=bare, note_=said)
    # The supervisor's funnel counts every record the force may see, grouped by its latest outcome:
    # first the closed crimes get the demo's outcomes, charges, hearings and court results (setup).
    from django.utils import timezone

    from umbrella.outcomes.demo import load_demo as load_outcomes

    started = time.perf_counter()
    summary = load_outcomes(seed=seed, now=timezone.now())
    results.add(Measurement(backend, "outcomes for the funnel (setup, not a target)", time.perf_counter() - started, "s",
                            "", "", summary))
    from django.db import connection

    with connection.cursor() as cursor:  # the new rows' statistics, as autovacuum would have them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    funnel_bare = bare_p95(
        results, backend=backend, name="the force's records counted by kind and status", count=requests,
        query=lambda i: list(Record.objects.filter(organisation_id=world.force_id).values("kind", "status")
                             .annotate(n=Count("id"))),
        detail="the funnel's records grouped alone: no outcomes joined, nothing scoped or rendered")
    timed_against_bare(results, backend=backend, name="attrition funnel page", client=_client(world.supervisor_id),
                       urls=lambda i: "/outcomes/funnel/" if i % 2 else f"/outcomes/funnel/?strand={strand}",
                       count=requests, target_ms=FUNNEL_P95_TARGET_MS, extra=extra, bare_p95=funnel_bare,
                note_="the supervisor's view, unfiltered and by strand, the closed crimes with their outcomes")


def _common_strand() -> str:
    from umbrella.reference.selectors import current_code

    return "religion" if current_code(scheme="strand", code="religion") else ""


def _matching(world: BenchWorld, strand: str) -> tuple[int, int]:
    """How many records the officer sees, and how many the strand filter leaves (so a filter that did nothing shows)."""
    from umbrella.accounts.models import User
    from umbrella.cases.selectors import RecordFilters, record_list

    officer = User.objects.get(pk=world.officer_id)
    visible = record_list(user=officer, filters=RecordFilters()).count()
    matching = record_list(user=officer, filters=RecordFilters(strand=strand)).count() if strand else visible
    return visible, matching
