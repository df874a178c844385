"""Benchmark sizes, from the environment. Defaults are the sizes the issues name; BENCH_QUICK=1 is a smoke run."""

from __future__ import annotations

import os
from dataclasses import dataclass

ALL_SECTIONS = (
    "pages", "shares", "decrypt", "writes", "rotation", "import", "audit",
    "indicators", "screening", "screening-quality", "risk", "care", "reporting-load", "statistics",
    "linkage", "tension", "triage",
)


def _int(name: str, full: int, quick: int) -> int:
    raw = os.environ.get(name, "").replace("_", "").replace(",", "")
    if raw:
        return int(raw)
    return quick if os.environ.get("BENCH_QUICK") == "1" else full


@dataclass(frozen=True)
class Config:
    quick: bool
    records: int
    requests: int
    writes: int
    import_rows: int
    import_small_rows: int
    audit_events: int
    decrypt_repeats: int
    shares: int
    open_reports: int
    sections: tuple[str, ...]
    backends: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def load() -> Config:
    sections = tuple(s.strip() for s in os.environ.get("BENCH_SECTIONS", ",".join(ALL_SECTIONS)).split(",") if s.strip())
    unknown = set(sections) - set(ALL_SECTIONS)
    if unknown:
        raise SystemExit(f"BENCH_SECTIONS names unknown sections {sorted(unknown)}; choose from {', '.join(ALL_SECTIONS)}.")
    backends = tuple(b.strip() for b in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",") if b.strip())
    return Config(
        quick=os.environ.get("BENCH_QUICK") == "1",
        records=_int("BENCH_RECORDS", 1_000_000, 2_000),
        requests=_int("BENCH_REQUESTS", 50, 8),
        writes=_int("BENCH_WRITES", 500, 20),
        import_rows=_int("BENCH_IMPORT_ROWS", 100_000, 500),
        import_small_rows=_int("BENCH_IMPORT_SMALL_ROWS", 10_000, 100),
        audit_events=_int("BENCH_AUDIT_EVENTS", 1_000_000, 5_000),
        decrypt_repeats=_int("BENCH_DECRYPT_REPEATS", 50, 10),
        shares=_int("BENCH_SHARES", 10_000, 100),
        open_reports=_int("BENCH_OPEN_REPORTS", 10_000, 200),
        sections=sections,
        backends=backends,
    )
