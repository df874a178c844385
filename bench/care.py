"""The daily Victims' Code timers job over many open cases (issue 6: 100,000 in under 30 s).

``run_timers_bench(database_url, open_cases)`` builds its own database (it drops and recreates
it: only ``umbrella_care_bench`` / ``umbrella_bench`` on PostgreSQL, or a SQLite file), loads
``open_cases`` police hate crime records with their Victims' Code care and timers by plain
multi-row INSERTs, then times ``umbrella.care.tasks.timers_run`` (one run on the loaded state,
when about a quarter of the timers have fallen due, and a second run with nothing left to do).

Run by hand: ``python -m bench.care --url postgres://postgres@127.0.0.1:5432/umbrella_care_bench --cases 100000``
(``BENCH_QUICK=1`` makes the default 5,000). When Django is already set up on a bench database
(inside ``bench.suite``), call ``run_timers_bench_here(open_cases)`` instead.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

TARGET_S = 30.0
ALLOWED_POSTGRES_NAMES = ("umbrella_care_bench", "umbrella_bench")


def default_cases() -> int:
    return 5_000 if os.environ.get("BENCH_QUICK") == "1" else 100_000


def _reset(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    if name not in ALLOWED_POSTGRES_NAMES:
        raise SystemExit(f"Refusing to drop {name!r}: the care bench only recreates {ALLOWED_POSTGRES_NAMES}.")
    maintenance = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _load(open_cases: int, *, seed: int = 6) -> dict[str, Any]:
    """Records, VictimCare and timers for ``open_cases`` cases, straight into the tables."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.fastsql import insert, next_id, reset_sequences
    from bench.world import make_world
    from umbrella.care.models import Timer, TimerKind, TimerStatus, VictimCare
    from umbrella.cases.models import Record
    from umbrella.reference.selectors import latest_version

    world = make_world()
    version = latest_version()
    rng = random.Random(seed)
    now = timezone.now()
    record_id, care_id, timer_id = next_id(Record), next_id(VictimCare), next_id(Timer)
    timers = 0
    batch = 10_000
    with transaction.atomic():
        for start in range(0, open_cases, batch):
            records, cares, timer_rows = [], [], []
            for index in range(start, min(start + batch, open_cases)):
                created = now - timedelta(days=rng.randint(0, 90), minutes=rng.randint(0, 1440))
                rid = record_id + index
                records.append({
                    "id": rid, "organisation_id": world.force_id, "reference": f"BPS-CARE-{index:07d}",
                    "kind": "hate_crime", "status": rng.choice(("recorded", "under_investigation")),
                    "reported_at": created, "recorded_at": created, "reference_version_id": version.pk,
                    "created_by_id": world.officer_id, "created_at": created, "updated_at": created,
                })
                cares.append({"id": care_id + index, "record_id": rid, "created_at": created})
                common = {"record_id": rid, "organisation_id": world.force_id, "assignee_id": world.officer_id}
                referral_due = created + timedelta(days=2)
                met = rng.random() < 0.6
                timer_rows.append({
                    **common, "id": timer_id + timers, "kind": TimerKind.REFERRAL, "due_at": referral_due,
                    "status": TimerStatus.MET if met else TimerStatus.OPEN, "met_at": created + timedelta(days=1) if met else None,
                    "created_at": created,
                })
                timers += 1
                if rng.random() < 0.7:  # the rest have no progress timer yet: the job makes one
                    timer_rows.append({
                        **common, "id": timer_id + timers, "kind": TimerKind.PROGRESS_UPDATE,
                        "due_at": created + timedelta(days=28), "status": TimerStatus.OPEN, "created_at": created,
                    })
                    timers += 1
                if rng.random() < 0.2:
                    timer_rows.append({
                        **common, "id": timer_id + timers, "kind": TimerKind.KEY_EVENT_UPDATE,
                        "due_at": created + timedelta(days=rng.randint(1, 7)), "status": TimerStatus.OPEN,
                        "created_at": created,
                    })
                    timers += 1
            insert(Record, records)
            insert(VictimCare, cares)
            insert(Timer, timer_rows)
        reset_sequences(Record, VictimCare, Timer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"timers_loaded": timers}


def run_timers_bench_here(open_cases: int) -> dict[str, Any]:
    """The bench on the database Django is already connected to (which it fills)."""
    from django.db import connection

    from umbrella.care.tasks import timers_run

    started = time.perf_counter()
    loaded = _load(open_cases)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    first = timers_run()
    job_s = time.perf_counter() - started
    started = time.perf_counter()
    second = timers_run()
    idle_s = time.perf_counter() - started
    return {
        "backend": connection.vendor, "open_cases": open_cases, **loaded, "build_s": round(build_s, 2),
        "job_s": round(job_s, 3), "missed": first.missed, "created": first.created, "cancelled": first.cancelled,
        "second_run_s": round(idle_s, 3), "second_run_changes": second.missed + second.created + second.cancelled,
        "target_s": TARGET_S, "verdict": "met" if job_s < TARGET_S else "missed",
    }


def run_timers_bench(database_url: str, open_cases: int) -> dict[str, Any]:
    """Recreates the database at ``database_url``, migrates it, loads and times the job.

    Sets Django up on that database, so call it in a fresh process (``python -m bench.care``),
    as ``bench.run`` does for ``bench.suite``.
    """
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    _reset(database_url)
    import django

    django.setup()
    from bench.world import migrate

    started = time.perf_counter()
    migrate()
    migrate_s = time.perf_counter() - started
    return {**run_timers_bench_here(open_cases), "migrate_s": round(migrate_s, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="sqlite:///var/bench/care.sqlite3")
    parser.add_argument("--cases", type=int, default=default_cases())
    args = parser.parse_args(argv)
    result = run_timers_bench(args.url, args.cases)
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
