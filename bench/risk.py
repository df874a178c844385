"""Repeat-victim detection for one new record against N records (issue 6: under 200 ms at
1,000,000 on PostgreSQL).

``run_repeat_bench(database_url, n_records)`` builds, in its own database, N records each with a
victim whose blind indexes (name and date of birth, phone, email, postcode) are drawn so that some
people and addresses recur, then times ``umbrella.risk.selectors.repeat_indicators`` for one new
record whose victim has been seen before (median of 20 runs). PostgreSQL rows go in with COPY;
SQLite with bench.fastsql. Run directly::

    python -m bench.risk postgres://postgres@127.0.0.1:5432/umbrella_risk_bench 200000
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RUNS = 20
BATCH = 50_000


def _n_default() -> int:
    raw = os.environ.get("BENCH_RISK_RECORDS", "").replace("_", "").replace(",", "")
    if raw:
        return int(raw)
    return 20_000 if os.environ.get("BENCH_QUICK") == "1" else 1_000_000


def _ensure_database(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    maintenance = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(database_url: str) -> None:
    from django.conf import settings

    if not settings.configured:
        os.environ["BENCH_DATABASE_URL"] = database_url
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        _ensure_database(database_url)
        import django

        django.setup()


def _defaults(model: Any) -> tuple[list[Any], dict[str, Any]]:
    from django.utils import timezone

    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        elif field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif not field.primary_key:
            defaults[field.attname] = "" if field.empty_strings_allowed else None
    return fields, defaults


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL (the fastest way in); bench.fastsql elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        from bench.fastsql import insert

        insert(model, rows)
        return
    fields, defaults = _defaults(model)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row([row.get(f.attname, defaults.get(f.attname)) for f in fields])


def _existing_records(world: Any) -> int:
    from umbrella.cases.models import Record

    return Record.objects.filter(source_system="bench-risk").count()


def build(world: Any, n_records: int, *, seed: int = 6) -> tuple[int, float]:
    """N records with one victim each; ~15% of people and most postcodes recur. Returns (made, seconds)."""
    from django.db import transaction

    from bench.fastsql import next_id, reset_sequences
    from umbrella.cases.models import Person, Record, RecordPerson
    from umbrella.crypto.fields import blind_index
    from umbrella.reference.selectors import latest_version

    have = _existing_records(world)
    if have >= n_records:
        return 0, 0.0
    started = time.perf_counter()
    rng = random.Random(seed + have)
    version_id = latest_version().pk
    now = datetime.now(tz=UTC)
    people = max(1, int(n_records * 0.85))
    postcodes = max(1, n_records // 20)
    record_id, person_id, link_id = next_id(Record), next_id(Person), next_id(RecordPerson)
    remaining = n_records - have
    index = have
    while remaining > 0:
        size = min(BATCH, remaining)
        records, persons, links = [], [], []
        for _ in range(size):
            index += 1
            org = world.centre_id if rng.random() < 0.1 else world.force_id
            reported = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
            who = rng.randrange(people)
            records.append({
                "id": record_id, "organisation_id": org, "reference": f"RISK-{index:08d}", "kind": "hate_crime",
                "status": "recorded", "reported_at": reported, "recorded_at": reported, "reference_version_id": version_id,
                "source_system": "bench-risk", "source_reference": str(index), "created_by_id": world.officer_id
                if org == world.force_id else world.caseworker_id, "created_at": reported, "updated_at": reported,
            })
            persons.append({
                "id": person_id, "organisation_id": org,
                "name_dob_index": blind_index("name_dob", f"p{who}"),
                "phone_index": blind_index("phone", f"07{who:09d}") if who % 10 < 7 else "",
                "email_index": blind_index("email", f"p{who}@example.org") if who % 10 < 4 else "",
                "postcode_index": blind_index("postcode", f"PC{rng.randrange(postcodes)}"),
            })
            links.append({"id": link_id, "record_id": record_id, "person_id": person_id, "role": "victim"})
            record_id, person_id, link_id = record_id + 1, person_id + 1, link_id + 1
        with transaction.atomic():
            _bulk(Record, records)
            _bulk(Person, persons)
            _bulk(RecordPerson, links)
        remaining -= size
    reset_sequences(Record, Person, RecordPerson)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_record; ANALYZE cases_person; ANALYZE cases_recordperson")
    return n_records - have, time.perf_counter() - started


def _probe(world: Any, *, who: int) -> Any:
    """A new record (made through the real service) for a victim who has been seen before."""
    from datetime import date

    from umbrella.accounts.models import User
    from umbrella.cases.inputs import PersonInput
    from umbrella.cases.models import Person, Record
    from umbrella.cases.services import record_create
    from umbrella.crypto.fields import blind_index

    officer = User.objects.get(pk=world.officer_id)
    record = record_create(
        actor=officer, kind="hate_crime", reported_at=datetime.now(tz=UTC), narrative="Bench probe incident.",
        people=[PersonInput(role="victim", given_name="Bench", family_name="Probe", date_of_birth=date(1990, 1, 1),
                            phone=f"07{who:09d}")],
    )
    # Point the victim's identity at a recurring person of the synthetic population.
    Person.objects.filter(roles__record=record).update(
        name_dob_index=blind_index("name_dob", f"p{who}"), postcode_index=blind_index("postcode", "PC1")
    )
    return Record.objects.get(pk=record.pk), officer


def run_repeat_bench(database_url: str, n_records: int | None = None) -> dict[str, Any]:
    _setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from bench.world import make_world
    from umbrella.risk.selectors import repeat_indicators

    n_records = n_records or _n_default()
    call_command("migrate", interactive=False, verbosity=0)
    world = make_world()
    made, load_s = build(world, n_records)
    record, officer = _probe(world, who=12_345 % max(1, int(n_records * 0.85)))
    timings = []
    summary = None
    for _ in range(RUNS):
        started = time.perf_counter()
        summary = repeat_indicators(user=officer, record=record)
        timings.append((time.perf_counter() - started) * 1000)
    assert summary is not None
    return {
        "backend": connection.vendor,
        "records": _existing_records(world),
        "loaded_now": made,
        "load_s": round(load_s, 1),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(max(timings), 2),
        "target_ms": 200,
        "visible_matches": len(summary.matches),
        "elsewhere": summary.elsewhere,
    }


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/umbrella_risk_bench"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else None
    print(run_repeat_bench(url, count))
