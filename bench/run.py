"""``make bench``: every benchmark on SQLite, and on PostgreSQL when DATABASE_URL names a server.

Prints a table and writes bench/results/<UTC timestamp>.json (updated after every measurement,
so a run cut short keeps what it measured). Sizes come from the environment (bench/config.py);
``BENCH_QUICK=1`` is a small smoke run. PostgreSQL runs use a separate database,
``umbrella_bench``, on the server DATABASE_URL names; it is dropped and recreated each run.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import config as bench_config
from bench.report import Results, note, side_by_side, table
from bench.world import postgres_bench_url, sqlite_url

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "bench" / "results"
SQLITE_PATH = REPO_ROOT / "var" / "bench" / "bench.sqlite3"


def machine() -> dict[str, object]:
    memory_kb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")), "")
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def backends(cfg: bench_config.Config) -> list[tuple[str, str]]:
    chosen: list[tuple[str, str]] = []
    if "sqlite" in cfg.backends:
        chosen.append(("sqlite", sqlite_url(SQLITE_PATH)))
    if "postgresql" in cfg.backends:
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url.startswith(("postgres://", "postgresql://")):
            chosen.append(("postgresql", postgres_bench_url(database_url)))
        else:
            note("DATABASE_URL does not name a PostgreSQL server: PostgreSQL benchmarks skipped")
    return chosen


def main() -> int:
    cfg = bench_config.load()
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{stamp}{'-quick' if cfg.quick else ''}.json"
    results = Results(path=path, meta={"started_utc": stamp, "config": cfg.as_dict(), "machine": machine()})
    results.save()
    failures = 0
    for name, url in backends(cfg):
        note(f"{name}: starting ({url.split('@')[-1]})")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bench.suite", "--backend", name, "--url", url, "--results", str(path)],
            cwd=REPO_ROOT, check=False,
        )
        note(f"{name}: finished in {time.perf_counter() - started:.0f} s (exit {done.returncode})")
        failures += done.returncode != 0
    database_url = os.environ.get("DATABASE_URL", "")
    if "reporting-load" in cfg.sections and "postgresql" in cfg.backends and database_url.startswith(("postgres://", "postgresql://")):
        from bench import areas

        note("reporting load: starting (gunicorn + 50 submitters on PostgreSQL)")
        partial = Results.load(path)
        partial.path = path
        try:
            areas.run_reporting_load(partial, database_url=database_url)
        except Exception as exc:  # noqa: BLE001 - keep the other figures
            note(f"reporting load failed: {type(exc).__name__}: {exc}")
            failures += 1
    final = Results.load(path)
    final.path = path
    final.meta["finished_utc"] = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    final.meta["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    final.save()
    print(side_by_side(final.measurements))
    print()
    print(table(final.measurements))
    started_load, ended_load = final.meta["machine"].get("load_average_at_start"), final.meta["load_average_at_end"]
    print(f"\n{final.meta['machine']['cores']} cores; load average (1, 5, 15 min) at start {started_load}, at end {ended_load}")
    print(f"Results: {path.relative_to(REPO_ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
