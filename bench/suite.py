"""One backend's benchmarks, run in its own process (Django settings cannot change once loaded).

``python -m bench.suite --backend sqlite --url sqlite:///... --results FILE`` resets that
database, migrates it, loads the records and appends each measurement to FILE as it is taken.
``bench.run`` calls this once per backend; run it directly only to repeat one backend.
"""

from __future__ import annotations

import argparse
import os
import time
import traceback
from pathlib import Path

from bench import config as bench_config
from bench.report import Measurement, Results, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--results", required=True, type=Path)
    args = parser.parse_args(argv)
    cfg = bench_config.load()

    os.environ["BENCH_DATABASE_URL"] = args.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    from bench.world import make_world, migrate, reset_database

    reset_database(args.url)
    import django

    django.setup()
    results = Results.load(args.results) if args.results.exists() else Results(path=None)
    results.path = args.results
    backend = args.backend

    def section(name: str, work: object) -> None:
        if name not in cfg.sections:
            return
        started = time.perf_counter()
        try:
            work()  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001 - one broken section must not lose the others' figures
            traceback.print_exc()
            results.add(Measurement(backend, name, None, "", "", "n/a", f"failed: {type(exc).__name__}: {exc}"[:300]))
        note(f"{backend}: section {name} took {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    migrate()
    world = make_world()
    from bench.loader import load_records

    load_started = time.perf_counter()
    loaded = load_records(world, count=cfg.records)
    load_s = time.perf_counter() - load_started
    results.add(
        Measurement(backend, "bulk load (setup, not a target)", loaded / load_s, "records/s", "", "",
                    f"{loaded:,} records with a victim each, encrypted, one chained audit event each, in {load_s:.0f} s")
    )

    from bench import imports, pages, shares, triage, trust

    section("pages", lambda: pages.run_pages(results, backend=backend, world=world, requests=cfg.requests))
    section("shares", lambda: shares.run_shares(results, backend=backend, world=world, requests=cfg.requests,
                                                shares=cfg.shares))
    section("triage", lambda: triage.run_triage(results, backend=backend, world=world, requests=cfg.requests,
                                                open_reports=cfg.open_reports))
    section("decrypt", lambda: trust.run_decrypt(results, backend=backend, world=world, repeats=cfg.decrypt_repeats))
    section("writes", lambda: trust.run_write_path(results, backend=backend, world=world, per_mode=cfg.writes))
    section("rotation", lambda: trust.run_rotation(results, backend=backend, world=world))
    section("import", lambda: imports.run_imports(
        results, backend=backend, world=world, small_rows=cfg.import_small_rows, rows=cfg.import_rows,
        baseline=not cfg.quick))
    section("audit", lambda: trust.run_audit_verify(results, backend=backend, world=world, events=cfg.audit_events))

    from bench import areas

    # Neither depends on the database: measured once, with the first backend.
    if backend == cfg.backends[0]:
        section("indicators", lambda: areas.run_indicators(results, backend="-"))
        section("screening-quality", lambda: areas.run_screening_quality(results, backend="-"))
        section("screening-functional", lambda: areas.run_screening_functional(results, backend="-"))
        from bench import linkage

        section("linkage", lambda: linkage.run_linkage(results, backend="-", quick=cfg.quick))
    section("screening", lambda: areas.run_screening(results, backend=backend))
    section("care", lambda: areas.run_care_timers(results, backend=backend))
    section("risk", lambda: areas.run_repeat_victims(results, backend=backend, url=args.url))
    from bench import stats

    section("statistics", lambda: stats.run_statistics(results, backend=backend, world=world, requests=cfg.requests))
    section("tension", lambda: stats.run_tension(results, backend=backend))
    note(f"{backend}: all sections done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
