"""Timing helpers and the results table: what every benchmark module records and how it is printed."""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def note(message: str) -> None:
    """Progress for the person watching; stderr, so stdout stays the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(samples: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation): the value a pct% share of requests stayed under."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def time_calls(call: Callable[[int], Any], *, count: int, warmup: int = 2) -> list[float]:
    """Milliseconds per call of ``call(i)`` for i in range(count), after ``warmup`` untimed calls."""
    for i in range(warmup):
        call(i)
    samples: list[float] = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@dataclass
class Measurement:
    backend: str
    name: str
    value: float | None
    unit: str
    target: str = ""
    # "met", "missed", "" (no target) or "n/a" (could not be measured, see detail)
    verdict: str = ""
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Results:
    """Everything one run measured, written to JSON after every measurement so a cut-short run keeps its figures."""

    path: Path | None
    meta: dict[str, Any] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)

    def add(self, measurement: Measurement) -> Measurement:
        # Two cores shared with other work: the load at the time travels with every figure.
        if hasattr(os, "getloadavg"):
            measurement.extra.setdefault("load_average", os.getloadavg())
        self.measurements.append(measurement)
        value = "—" if measurement.value is None else f"{measurement.value:,.1f}"
        note(f"{measurement.backend}: {measurement.name} = {value} {measurement.unit} {measurement.verdict} {measurement.detail}".rstrip())
        self.save()
        return measurement

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"meta": self.meta, "measurements": [asdict(m) for m in self.measurements]}
        self.path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Results:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            path=None,
            meta=payload.get("meta", {}),
            measurements=[Measurement(**m) for m in payload.get("measurements", [])],
        )


def verdict_below(value: float, limit: float) -> str:
    return "met" if value < limit else "missed"


def verdict_at_most(value: float, limit: float) -> str:
    return "met" if value <= limit else "missed"


def verdict_at_least(value: float, limit: float) -> str:
    return "met" if value >= limit else "missed"


def table(measurements: list[Measurement]) -> str:
    """A plain-text table; also valid Markdown, so bench/README.md can quote it as printed."""
    header = ("backend", "measurement", "value", "unit", "target", "verdict", "detail")
    rows = [
        (
            m.backend,
            m.name,
            "—" if m.value is None else f"{m.value:,.1f}",
            m.unit,
            m.target,
            m.verdict,
            m.detail,
        )
        for m in measurements
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def side_by_side(measurements: list[Measurement]) -> str:
    """One row per measurement, one column per backend: the table bench/README.md quotes."""
    backends = list(dict.fromkeys(m.backend for m in measurements))
    names = list(dict.fromkeys(m.name for m in measurements))
    by_key = {(m.backend, m.name): m for m in measurements}
    header = ("measurement", "unit", "target", *backends)
    rows = []
    for name in names:
        first = next(m for m in measurements if m.name == name)
        cells = []
        for backend in backends:
            m = by_key.get((backend, name))
            if m is None:
                cells.append("")
            elif m.value is None:
                cells.append("not available" if m.verdict == "n/a" else "—")
            else:
                cells.append(f"{m.value:,.1f}" + (f" ({m.verdict})" if m.verdict else ""))
        target = next((m.target for m in measurements if m.name == name and m.target), "")
        rows.append((name, first.unit, target, *cells))
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])
