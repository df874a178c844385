"""Helpers for import and export tests: seeded reference data, CSV files written in the test."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from umbrella.imports.selectors import EXPORT_COLUMNS
from umbrella.reference.seed import seed_reference_data

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
POLICE_UK_DIR = SHARED_DATA / "police-uk-street-city-of-london"
POLICE_UK_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)


@pytest.fixture
def seeded(db: None) -> None:
    """The real seed codes (strands, boroughs, offences…), as a fresh installation has them."""
    seed_reference_data()


def umbrella_row(number: int, **overrides: str) -> dict[str, str]:
    """One row of Umbrella's export format, valid unless overridden."""
    row = {name: "" for name in EXPORT_COLUMNS}
    row.update(
        {
            "Reference": f"SRC-2025-{number:06d}",
            "Organisation": "Source organisation",
            "Kind": "Hate crime",
            "Status": "Recorded",
            "Occurred from": "2025-03-01T21:15:00+00:00",
            "Reported at": "2025-03-02T09:00:00+00:00",
            "Location description": f"Bus stop {number} on the high road",
            "Postcode": "SW1A 1AA",
            "Borough code": "E09000033",
            "Latitude": "51.501",
            "Longitude": "-0.1416",
            "Online": "no",
            "Strands": "race:anti_black:victim",
            "Offences": "9B",
            "Narrative": f"Man shouted racist abuse at the victim at stop {number}.",
        }
    )
    row.update(overrides)
    return row


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def umbrella_csv(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: list[dict[str, str]], name: str = "records.csv") -> Path:
        return write_csv(tmp_path / name, EXPORT_COLUMNS, rows)

    return make


@pytest.fixture
def run_import() -> Callable[..., tuple[str, str]]:
    """Runs the command as the CLI would; returns (stdout, stderr). CommandError propagates."""
    from io import StringIO

    def run(path: Path, *args: str, mapping: str = "umbrella_export", user: str = "supervisor") -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        try:
            call_command("import_records", str(path), "--mapping", mapping, "--as", user, *args, stdout=out, stderr=err)
        finally:
            run.last_stderr = err.getvalue()  # type: ignore[attr-defined]
        return out.getvalue(), err.getvalue()

    return run


def counts() -> dict[str, Any]:
    from umbrella.audit.models import AuditEvent
    from umbrella.cases.models import Offence, Record, RecordStrand

    return {
        "records": Record.objects.count(),
        "strands": RecordStrand.objects.count(),
        "offences": Offence.objects.count(),
        "events": AuditEvent.objects.count(),
    }
