"""Import throughput and peak memory: ``umbrella import records`` on generated CSV files, in a child process.

Peak memory is the child's maximum resident set size (``wait4`` rusage), so it includes
Python and Django themselves; a flat memory profile shows as the same peak for 10,000 and
100,000 rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import Measurement, Results, note, verdict_at_least
from bench.world import BenchWorld

IMPORT_TARGET_ROWS_S = 1000.0


def _import_command_available() -> str | None:
    from django.core.management import get_commands

    if "import_records" not in get_commands():
        return "the import_records command is not present yet"
    return None


def run_child(command: list[str], env: dict[str, str], *, timeout_s: float) -> tuple[int | None, float, int, str]:
    """Runs ``command``; returns exit status (None if killed at ``timeout_s``), wall seconds, peak RSS in KiB
    of that process alone (``wait4`` rusage, not this process's children in general), and the output's tail."""
    log = Path(env.get("BENCH_LOG_DIR", "var/bench")) / f"child-{os.getpid()}-{time.time_ns()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        killed = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if not killed and time.perf_counter() - started > timeout_s:
                child.kill()
                killed = True
            time.sleep(0.1)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        tail = out.read()[-2000:]
    log.unlink(missing_ok=True)
    return (None if killed else child.returncode), wall, usage.ru_maxrss, tail


def _imported(tag: str) -> int:
    from umbrella.cases.models import Record

    return Record.objects.filter(source_reference__startswith=f"BENCH-{tag}-").count()


def run_imports(results: Results, *, backend: str, world: BenchWorld, small_rows: int, rows: int,
                timeout_s: float = 1800, baseline: bool = True) -> None:
    missing = _import_command_available()
    if missing is not None:
        for size in (small_rows, rows):
            results.add(Measurement(backend, f"import {size:,} rows", None, "rows/s", "≥ 1,000 rows/s", "n/a", missing))
        return
    from bench.csvgen import import_command, write_csv

    peaks: dict[int, int] = {}
    startup_s: float | None = None
    # The 1-row run measures start-up so it can be taken out; a smoke run skips it to stay short.
    for size in ((1,) if baseline else ()) + (small_rows, rows):
        name = f"import {size:,} rows"
        path = Path("var/bench") / f"import-{backend}-{size}.csv"
        tag = f"{backend}-{size}"
        note(f"{backend}: writing a {size:,}-row CSV")
        mapping = write_csv(path, rows=size, world=world, tag=tag)
        command = [sys.executable, "-m", "umbrella.cli", *import_command(path, mapping, world)]
        note(f"{backend}: importing {size:,} rows: {' '.join(command[2:])}")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        code, wall, peak_kib, tail = run_child(command, env, timeout_s=timeout_s)
        file_mib = path.stat().st_size / 1024 / 1024
        path.unlink(missing_ok=True)
        if code is None:
            results.add(Measurement(backend, name, None, "rows/s", "≥ 1,000 rows/s", "missed",
                                    f"stopped after {timeout_s:.0f} s without finishing (< {size / timeout_s:,.0f} rows/s)"))
            continue
        if code != 0:
            results.add(Measurement(backend, name, None, "rows/s", "≥ 1,000 rows/s", "n/a",
                                    f"exit {code}: {tail[-300:]}"))
            continue
        created = _imported(tag)
        if size == 1:
            # Interpreter, Django, mapping and code lists: what every run pays before its first row.
            startup_s = wall
            note(f"{backend}: a 1-row import takes {wall:.1f} s (start-up)")
            continue
        peaks[size] = peak_kib
        net = f"; {(size - 1) / (wall - startup_s):,.0f} rows/s without the {startup_s:.1f} s start-up of a 1-row import" \
            if startup_s is not None and wall > startup_s else ""
        extra: dict[str, Any] = {"rows": size, "created": created, "wall_s": wall, "peak_rss_kib": peak_kib,
                                 "file_mib": file_mib, "output_tail": tail[-500:]}
        results.add(Measurement(backend, name, size / wall, "rows/s", "≥ 1,000 rows/s",
                                verdict_at_least(size / wall, IMPORT_TARGET_ROWS_S),
                                f"{created:,} records created in {wall:.1f} s wall ({file_mib:.0f} MiB file; check pass "
                                "then write pass; process start-up included" + net + ")", extra))
        results.add(Measurement(backend, f"{name} peak memory", peak_kib / 1024, "MiB", "", "",
                                "peak RSS of the import process (Python and Django included)", extra))
    if small_rows in peaks and rows in peaks and rows > small_rows:
        growth = peaks[rows] / peaks[small_rows]
        results.add(Measurement(backend, f"import memory growth {small_rows:,} → {rows:,} rows", growth, "×",
                                "flat (≈ 1.0×)", "met" if growth < 1.25 else "missed",
                                f"{peaks[small_rows] / 1024:.0f} MiB → {peaks[rows] / 1024:.0f} MiB peak RSS"))
