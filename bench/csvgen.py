"""Import files for the import benchmark: rows shaped like Umbrella's own CSV export.

The shipped ``umbrella_export`` mapping says which column feeds which record field; rows are
written by field name through it, so a renamed column still lines up. Values are the ones the
export writes (kind and status labels, ``strand:sub_category:perceiver`` strands, ``CODE`` or
``CODE:aggravated`` offences, ISO times, yes/no flags) and every row is valid: the figure is for
a file that imports, not for one rejected at row 2. Rows are written one at a time, so even a
large file costs no memory here.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.loader import (
    FAMILY,
    NARRATIVE_DETAIL,
    NARRATIVE_OPENINGS,
    NARRATIVE_PLACES,
    PLACES,
    _codes,
)
from bench.world import BenchWorld

MAPPING = "umbrella_export"


def _label_for(spec: Any, code: str) -> str:
    """The export's label for a choice code: the key the mapping maps to it (or the code itself)."""
    for label, value in spec.map.items():
        if value == code:
            return str(label)
    return code


def _coordinate(value: float) -> str:
    # Never "-0.00000": PostgreSQL's jsonb stores -0.0 as 0.0, so the record.create audit event of
    # such a row fails `audit verify` there (reported as a bug in umbrella.audit.services.stored_changes).
    text = f"{value:.5f}"
    return "0.00000" if text == "-0.00000" else text


class RowMaker:
    def __init__(self, mapping: Any, *, seed: int, tag: str) -> None:
        self.rng = random.Random(seed)
        self.mapping = mapping
        self.tag = tag
        self.strands = _codes("strand")
        self.subs: dict[str, list[str]] = defaultdict(list)
        for sub in _codes("sub_category"):
            self.subs[sub.parent_code].append(sub.code)
        perceivers = [c.code for c in _codes("perceiver")]
        self.perceiver = "victim" if "victim" in perceivers else perceivers[0]
        self.boroughs = [c.code for c in _codes("borough")]
        self.location_types = [c.code for c in _codes("location_type")]
        self.offences = [c.code for c in _codes("offence")]
        self.now = datetime.now(tz=UTC)

    def _strands(self) -> str:
        rng = self.rng
        weights = {"race": 70.0, "sexual_orientation": 14.0, "religion": 12.0, "disability": 7.0, "transgender": 4.0}
        chosen = {s.code for s in rng.choices(self.strands, weights=[weights.get(s.code, 1.0) for s in self.strands],
                                              k=2 if rng.random() < 0.15 else 1)}
        items = []
        for strand in sorted(chosen):
            sub = rng.choice(self.subs[strand]) if self.subs.get(strand) and rng.random() < 0.7 else ""
            items.append(f"{strand}:{sub}:{self.perceiver}")
        return "; ".join(items)

    def values(self, number: int) -> dict[str, str]:
        """Cell values by record field name (plus the source reference) for row ``number``."""
        rng = self.rng
        reported = self.now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        kind = "hate_crime" if rng.random() < 0.6 else "nchi"
        status = rng.choice(("recorded", "recorded", "under_investigation", "closed"))
        # The rules every route applies: a crime closes with its outcome (not in this file) and a
        # non-crime hate incident with its closure reason.
        if status == "closed" and kind == "hate_crime":
            status = "under_investigation"
        fields = self.mapping.fields
        return {
            "source_reference": f"BENCH-{self.tag}-{number:07d}",
            "kind": _label_for(fields["kind"], kind) if "kind" in fields else kind,
            "status": _label_for(fields["status"], status) if "status" in fields else status,
            "status_reason": "No further lines of enquiry" if status == "closed" else "",
            "closure_reason": "nchi_intelligence" if status == "closed" else "",
            "occurred_from": (reported - timedelta(hours=rng.randint(1, 72))).isoformat(timespec="seconds"),
            "occurred_to": "",
            "reported_at": reported.isoformat(timespec="seconds"),
            "recorded_at": (reported + timedelta(minutes=rng.randint(5, 600))).isoformat(timespec="seconds"),
            "location_description": f"{rng.randint(1, 250)} {rng.choice(PLACES)}",
            "postcode": f"E{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNP')}{rng.choice('ABDEFGHJLNP')}",
            "borough": rng.choice(self.boroughs) if self.boroughs else "",
            "lsoa_code": "",
            "latitude": _coordinate(51.3 + rng.random() * 0.4),
            "longitude": _coordinate(-0.5 + rng.random() * 0.7),
            "location_type": rng.choice(self.location_types) if self.location_types else "",
            "online_platform": "",
            "is_online": "yes" if rng.random() < 0.12 else "no",
            "is_domestic_abuse": "yes" if rng.random() < 0.05 else "no",
            "is_asb_related": "yes" if rng.random() < 0.2 else "no",
            "is_alcohol_drug_related": "yes" if rng.random() < 0.1 else "no",
            "strands": self._strands(),
            "offences": (rng.choice(self.offences) + (":aggravated" if rng.random() < 0.6 else ""))
            if kind == "hate_crime" and self.offences else "",
            "narrative": (f"{rng.choice(NARRATIVE_OPENINGS)} {rng.choice(NARRATIVE_PLACES)} "
                          f"{rng.choice(NARRATIVE_DETAIL)} Suspect described as {rng.choice(FAMILY)[0]}-series IC1."),
        }


def write_csv(path: Path, *, rows: int, world: BenchWorld, tag: str, seed: int = 11) -> str:
    """Writes ``rows`` valid rows to ``path``; returns the mapping to import them with."""
    from umbrella.imports.mapping import load_mapping

    mapping = load_mapping(MAPPING)
    try:
        from umbrella.imports.selectors import EXPORT_COLUMNS

        header = list(EXPORT_COLUMNS)
    except ImportError:
        header = []
    header += [column for column in mapping.columns if column not in header]
    by_column = {spec.column: name for name, spec in mapping.fields.items() if spec.column}
    by_column[mapping.reference_column] = "source_reference"
    maker = RowMaker(mapping, seed=seed, tag=tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number in range(1, rows + 1):
            values = maker.values(number)
            writer.writerow([values.get(by_column.get(column, ""), "") for column in header])
    return MAPPING


def import_command(path: Path, mapping: str, world: BenchWorld) -> list[str]:
    """``umbrella import records`` arguments: the force's supervisor imports into the force."""
    return ["import", "records", str(path), "--mapping", mapping, "--organisation", world.force_slug,
            "--as", world.supervisor_username]
