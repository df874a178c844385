"""Trust-layer costs: audit on the write path, audit verification, decryption, key rotation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any
from unittest import mock

from bench.report import (
    Measurement,
    Results,
    note,
    percentile,
    time_calls,
    verdict_at_most,
    verdict_below,
)
from bench.world import BenchWorld

WRITE_RATIO_TARGET = 1.3
VERIFY_TARGET_S = 60.0
DECRYPT_TARGET_MS = 20.0


def _officer(world: BenchWorld) -> Any:
    from umbrella.accounts.models import User

    return User.objects.get(pk=world.officer_id)


def run_decrypt(results: Results, *, backend: str, world: BenchWorld, repeats: int) -> None:
    """Decrypting a 50-record list page: every narrative and every person's name on it.

    The target figure is decryption alone, over rows already fetched (key cache warm; the
    first call with an empty cache, which unwraps the data key, is in the detail). A second,
    untargeted figure adds the scoped query that fetches the page and its people.
    """
    from umbrella.cases.models import NARRATIVE_COLUMN, person_column
    from umbrella.cases.selectors import RecordFilters, record_list
    from umbrella.crypto.fields import decrypt
    from umbrella.crypto.keyring import data_key_cache

    officer = _officer(world)
    given, family = person_column("given_name"), person_column("family_name")

    def fetch() -> list[Any]:
        return list(record_list(user=officer, filters=RecordFilters()).prefetch_related("people__person")[:50])

    def decrypt_page(page: list[Any]) -> int:
        values = 0
        for record in page:
            decrypt(record.narrative, column=NARRATIVE_COLUMN)
            values += 1
            for link in record.people.all():
                decrypt(link.person.given_name, column=given)
                decrypt(link.person.family_name, column=family)
                values += 2
        return values

    page = fetch()
    data_key_cache.clear()
    started = time.perf_counter()
    values = decrypt_page(page)
    cold = (time.perf_counter() - started) * 1000
    samples = time_calls(lambda i: decrypt_page(page), count=repeats)
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    detail = (f"{len(page)} records, {values} values (narratives, people's names), AES-GCM, {repeats} repeats; "
              f"first call with an empty key cache {cold:.1f} ms")
    extra = {"cold_ms": cold, "values": values, "samples_ms": samples}
    results.add(Measurement(backend, "decrypt 50-record page p50", p50, "ms", "", "", detail, extra))
    results.add(
        Measurement(backend, "decrypt 50-record page p95", p95, "ms", f"< {DECRYPT_TARGET_MS:.0f} ms",
                    verdict_below(p95, DECRYPT_TARGET_MS), detail, extra)
    )
    samples = time_calls(lambda i: decrypt_page(fetch()), count=repeats)
    detail = f"scoped query for the page and its people, then the same {values} values decrypted; {repeats} repeats"
    results.add(Measurement(backend, "query + decrypt 50-record page p50", percentile(samples, 50), "ms", "", "", detail))
    results.add(Measurement(backend, "query + decrypt 50-record page p95", percentile(samples, 95), "ms", "", "", detail,
                            {"samples_ms": samples}))


def _create_inputs() -> dict[str, Any]:
    from umbrella.cases.inputs import FlagsInput, LocationInput, PersonInput, StrandInput
    from umbrella.reference.selectors import current_code, current_codes

    strand = current_code(scheme="strand", code="race") or current_codes(scheme="strand").first()
    perceiver = current_code(scheme="perceiver", code="victim") or current_codes(scheme="perceiver").first()
    borough = current_codes(scheme="borough").first()
    assert strand is not None and perceiver is not None
    return {
        "kind": "hate_crime",
        "narrative": "Victim was shouted at outside the shop by a man who used racist language.",
        "location": LocationInput(description="Outside a shop on the high street", postcode="E1 6AN", borough=borough),
        "flags": FlagsInput(),
        "strands": [StrandInput(strand=strand, perceiver=perceiver)],
        "people": [PersonInput(role="victim", given_name="Sam", family_name="Bench", phone="07700 900456")],
    }


def run_write_path(results: Results, *, backend: str, world: BenchWorld, per_mode: int) -> None:
    """``record_create`` as it is, against the same call with ``audit_event_write`` made a no-op.

    Calls alternate one by one (with, without, with, ...), so drift in machine load (two cores
    shared with other work) falls on both sides alike. The patch is in place throughout and only
    a flag changes, so both sides pay the same dispatch cost.
    """
    from django.utils import timezone

    from umbrella.cases import services
    from umbrella.cases.services import record_create

    officer = _officer(world)
    inputs = _create_inputs()
    real_write = services.audit_event_write
    audit_on = {"value": True}

    def dispatch(**kwargs: Any) -> Any:
        return real_write(**kwargs) if audit_on["value"] else None

    def create() -> None:
        now = timezone.now()
        record_create(actor=officer, reported_at=now - timedelta(hours=1), occurred_from=now - timedelta(hours=3), **inputs)

    with_audit: list[float] = []
    without_audit: list[float] = []
    with mock.patch.object(services, "audit_event_write", dispatch):
        for i in range(6):  # warm-up: caches, prepared plans, first-key unwrap
            audit_on["value"] = bool(i % 2)
            create()
        for i in range(2 * per_mode):
            audit_on["value"] = i % 2 == 0
            started = time.perf_counter()
            create()
            elapsed = (time.perf_counter() - started) * 1000
            (with_audit if audit_on["value"] else without_audit).append(elapsed)
    on, off = percentile(with_audit, 50), percentile(without_audit, 50)
    mean_ratio = (sum(with_audit) / len(with_audit)) / (sum(without_audit) / len(without_audit))
    detail = (f"{len(with_audit)} creates each way, interleaved one by one; ratio of means "
              f"(ratio of medians {on / off:.2f}×)")
    results.add(Measurement(backend, "record_create with audit p50", on, "ms", "", "", detail,
                            {"p95_ms": percentile(with_audit, 95)}))
    results.add(Measurement(backend, "record_create without audit p50", off, "ms", "", "", detail,
                            {"p95_ms": percentile(without_audit, 95)}))
    results.add(
        Measurement(backend, "write path audit ratio", mean_ratio, "×", f"≤ {WRITE_RATIO_TARGET}",
                    verdict_at_most(mean_ratio, WRITE_RATIO_TARGET), detail,
                    {"median_ratio": on / off, "with_ms": with_audit, "without_ms": without_audit})
    )


def _bench_env() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}


def run_audit_verify(results: Results, *, backend: str, world: BenchWorld, events: int) -> None:
    """Tops the chain up to ``events`` events, then times ``umbrella audit verify`` in a fresh process."""
    from umbrella.audit.models import AuditEvent

    have = AuditEvent.objects.count()
    if have < events:
        note(f"{backend}: appending {events - have:,} chained audit events (have {have:,})")
        started = time.perf_counter()
        # Plain INSERTs of correctly chained events: about twice as fast as audit.testing's
        # bulk_create helper, which matters at a million rows on two shared cores.
        from bench.loader import append_audit_events

        append_audit_events(events - have, world)
        note(f"{backend}: appended in {time.perf_counter() - started:.0f} s")
    total = AuditEvent.objects.count()
    command = [sys.executable, "-m", "umbrella.cli", "audit", "verify"]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=_bench_env(), capture_output=True, text=True, check=False, timeout=1800)
    except subprocess.TimeoutExpired:
        results.add(Measurement(backend, "audit verify", None, "s", "< 60 s", "missed", f"{total:,} events: not done in 1,800 s"))
        return
    wall = time.perf_counter() - started
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        results.add(Measurement(backend, "audit verify", None, "s", "< 60 s", "n/a", f"exit {done.returncode}: {output[-200:]}"))
        return
    reported = re.search(r"verified in ([\d.]+) s", output)
    inner = float(reported.group(1)) if reported else wall
    detail = f"{total:,} events; {wall:.1f} s including process start-up"
    results.add(
        Measurement(backend, "audit verify", inner, "s", f"< {VERIFY_TARGET_S:.0f} s for 1,000,000",
                    verdict_below(inner, VERIFY_TARGET_S) if total >= 1_000_000 else "", detail,
                    {"events": total, "wall_s": wall, "events_per_s": total / inner if inner else None})
    )


def run_rotation(results: Results, *, backend: str, world: BenchWorld, timeout_s: float = 3600) -> None:
    """Times ``umbrella keys rotate --data-keys`` for the reporting centre in a fresh process.

    Throughput is the rows (records and people) the command says it re-encrypted, divided by
    the time it reports for the re-encryption; the wall time with start-up is kept in the detail.
    The centre holds a tenth of the records: the work per row is the same as for the force, and
    the section stays minutes shorter.
    """
    from django.core.management import get_commands

    if "keys_rotate" not in get_commands():
        results.add(Measurement(backend, "key rotation", None, "rows/s", "", "n/a",
                                "not available: no keys_rotate command yet"))
        return
    from umbrella.cases.models import Person, Record

    rows = (Record.objects.filter(organisation_id=world.centre_id).count()
            + Person.objects.filter(organisation_id=world.centre_id).count())
    args = _rotate_args(world)
    command = [sys.executable, "-m", "umbrella.cli", "keys", "rotate", *args]
    note(f"{backend}: rotating the centre's data key over {rows:,} rows: keys rotate {' '.join(args)}")
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=_bench_env(), capture_output=True, text=True, check=False, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        results.add(Measurement(backend, "key rotation", None, "rows/s", "", "n/a", f"still running after {timeout_s:.0f} s"))
        return
    wall = time.perf_counter() - started
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        results.add(Measurement(backend, "key rotation", None, "rows/s", "", "n/a",
                                f"exit {done.returncode}: {output[-200:]}"))
        return
    reported = re.search(r"(\d+) row\(s\) re-encrypted .*? in ([\d.]+) s", output)
    done_rows, inner = (int(reported.group(1)), float(reported.group(2))) if reported else (rows, wall)
    if done_rows < rows:
        note(f"{backend}: keys rotate re-encrypted {done_rows:,} rows, fewer than the {rows:,} the centre holds")
    # The command's own rate is computed before rounding its time to 0.1 s: better for short runs.
    own_rate = re.search(r"\((\d+) rows/s\)", output)
    rate = float(own_rate.group(1)) if own_rate else (done_rows / inner if inner else float("nan"))
    results.add(
        Measurement(backend, "key rotation", rate, "rows/s", "", "",
                    f"{done_rows:,} records and people of one organisation re-encrypted under a new data key in {inner:.1f} s "
                    f"({wall:.1f} s wall incl. start-up)",
                    {"rows": done_rows, "rows_in_org": rows, "seconds": inner, "wall_s": wall,
                     "output_tail": output[-500:]})
    )


def _rotate_args(world: BenchWorld) -> list[str]:
    """The rotate command's options for one organisation, read from its parser so renamed options show."""
    from django.core.management import get_commands, load_command_class

    parser = load_command_class(get_commands()["keys_rotate"], "keys_rotate").create_parser("umbrella", "keys_rotate")
    options = {option for action in parser._actions for option in action.option_strings}
    args: list[str] = []
    if "--organisation" in options:
        args += ["--organisation", world.centre_slug]
    # Re-wrapping alone touches one row per key; the data-key rotation is what re-encrypts.
    if "--data-keys" in options:
        args.append("--data-keys")
    # No progress bar: it would only slow a captured run down.
    if "--no-progress" in options:
        args.append("--no-progress")
    return args
