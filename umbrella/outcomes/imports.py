"""Charging decisions and court results from a file (a CPS or court system's export), matched to
crimes by reference: ``umbrella import outcomes FILE.csv --as USER [--mapping M.toml] [--dry-run]``.

The file is UTF-8 CSV with a header row. Its columns, by default named as here (a mapping renames
them, gives defaults and translates the source's words)::

    reference      the crime's Umbrella reference (required)
    type           charging | court
    decided_on     YYYY-MM-DD (a mapping may add formats, e.g. "%d/%m/%Y")
    decision       charging: charge | nfa_evidential | nfa_public_interest | out_of_court
    decided_by     charging: police | cps
    result         court: convicted | acquitted | discontinued | dismissed | other
    offence        court: the Home Office offence code convicted of
    sentence       court: the sentence, in words
    uplift_applied, uplift_announced   court: yes | no (blank is no)

A mapping (TOML)::

    [columns]                 # our column = the file's column
    reference = "URN"
    decided_on = "Hearing date"
    [defaults]                # for a column the file does not have, or a blank cell
    type = "court"
    [formats]
    decided_on = ["%d/%m/%Y"]
    [values.result]           # the file's words (any case) = ours
    "Guilty" = "convicted"

All or nothing, as record imports: every row goes through the same services as the pages (the
same checks: a conviction needs a charge, no date before the crime or in the future, the CPS only
on crimes shared with it), in file order and in one transaction; when any row is refused, every
error is listed by row (the header is row 1), column and reason, and the transaction is rolled back
so nothing is saved. A row already recorded (the same crime, type, date and decision or result) is
skipped, so importing the same file again adds nothing. A reference the importer may not see reads
exactly as one that does not exist.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Record
from umbrella.cases.selectors import record_get_by_reference
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes.models import (
    ChargingDecision,
    ChargingDecisionKind,
    CourtResult,
    CourtResultKind,
    Decider,
)
from umbrella.outcomes.services import charging_decision_record, court_result_record

if TYPE_CHECKING:
    from umbrella.accounts.models import User

COLUMNS = (
    "reference", "type", "decided_on", "decision", "decided_by", "result", "offence", "sentence",
    "uplift_applied", "uplift_announced",
)
TYPES = ("charging", "court")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
# A service's field → the column that carries it.
_FIELD_COLUMN = {"decision": "decision", "decided_by": "decided_by", "decided_on": "decided_on", "result": "result",
                 "offence": "offence", "uplift_applied": "uplift_applied", "uplift_announced": "uplift_announced",
                 "record": "reference", "__all__": "reference"}


class OutcomeFileError(Exception):
    """The file or the mapping cannot be read (not one row's problem)."""


@dataclass(frozen=True)
class OutcomeMapping:
    columns: dict[str, str] = field(default_factory=dict)  # ours → the file's
    defaults: dict[str, str] = field(default_factory=dict)
    formats: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # ours → {the file's word (lower case): ours}

    def header_of(self, column: str) -> str:
        return self.columns.get(column, column)


def load_outcome_mapping(path: Path | None) -> OutcomeMapping:
    if path is None:
        return OutcomeMapping()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OutcomeFileError(f"The mapping {path} cannot be read: {exc}") from exc
    unknown = set(data) - {"columns", "defaults", "formats", "values"}
    if unknown:
        raise OutcomeFileError(f"The mapping has tables Umbrella does not know: {', '.join(sorted(unknown))}")
    for table in ("columns", "defaults", "formats", "values"):
        bad = set(data.get(table, {})) - set(COLUMNS)
        if bad:
            raise OutcomeFileError(f"The mapping's [{table}] names columns Umbrella does not know: {', '.join(sorted(bad))}")
    return OutcomeMapping(
        columns={k: str(v) for k, v in data.get("columns", {}).items()},
        defaults={k: str(v) for k, v in data.get("defaults", {}).items()},
        formats={k: [str(f) for f in v] for k, v in data.get("formats", {}).items()},
        values={k: {str(a).strip().lower(): str(b) for a, b in v.items()} for k, v in data.get("values", {}).items()},
    )


@dataclass(frozen=True)
class OutcomeRowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column '{self.column}': {self.message}"


@dataclass
class OutcomeImportResult:
    rows: int = 0
    charging_decisions: int = 0
    court_results: int = 0
    already_recorded: int = 0
    errors: list[OutcomeRowError] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, str]  # ours → the cell, mapped and defaulted


def _rows(path: Path, mapping: OutcomeMapping) -> Iterator[_Row]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise OutcomeFileError(f"{path} cannot be read: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (csv.Error, UnicodeDecodeError) as exc:
            raise OutcomeFileError(f"{path} is not a UTF-8 CSV file: {exc}") from exc
        missing = [
            mapping.header_of(c) for c in ("reference", "type", "decided_on")
            if mapping.header_of(c) not in header and c not in mapping.defaults
        ]
        if missing:
            raise OutcomeFileError(f"The file has no column {', '.join(repr(m) for m in missing)} (the header is row 1)")
        try:
            for number, raw in enumerate(reader, start=2):
                cells = {}
                for column in COLUMNS:
                    value = (raw.get(mapping.header_of(column)) or "").strip()
                    if not value:
                        value = mapping.defaults.get(column, "")
                    words = mapping.values.get(column)
                    if words and value.lower() in words:
                        value = words[value.lower()]
                    cells[column] = value
                yield _Row(number, cells)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise OutcomeFileError(f"{path} cannot be read past row {reader.line_num}: {exc}") from exc


def _date(value: str, formats: list[str]) -> date | None:
    for fmt in ["%Y-%m-%d", *formats]:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007  # a calendar date: no time zone applies
        except ValueError:
            continue
    return None


def _flag(value: str) -> bool | None:
    word = value.lower()
    return True if word in YES else False if word in NO else None


def _check_cells(row: _Row, mapping: OutcomeMapping) -> tuple[list[OutcomeRowError], dict[str, Any]]:
    """Errors a row has on its own (before any record is looked at), and its parsed values."""
    errors: list[OutcomeRowError] = []
    cells = row.cells

    def error(column: str, message: str) -> None:
        errors.append(OutcomeRowError(row.number, mapping.header_of(column), message))

    if not cells["reference"]:
        error("reference", "Enter the crime's reference")
    kind = cells["type"].lower()
    if kind not in TYPES:
        error("type", f"Enter charging or court, not {cells['type']!r}" if cells["type"] else "Enter charging or court")
    decided_on = _date(cells["decided_on"], mapping.formats.get("decided_on", [])) if cells["decided_on"] else None
    if not cells["decided_on"]:
        error("decided_on", "Enter the date it was decided")
    elif decided_on is None:
        error("decided_on", f"{cells['decided_on']!r} is not a date (YYYY-MM-DD)")
    values: dict[str, Any] = {"kind": kind, "decided_on": decided_on}
    if kind == "charging":
        if cells["decision"] not in ChargingDecisionKind.values:
            error("decision", f"Enter one of {', '.join(ChargingDecisionKind.values)}")
        if cells["decided_by"] not in Decider.values:
            error("decided_by", f"Enter one of {', '.join(Decider.values)}")
        values.update(decision=cells["decision"], decided_by=cells["decided_by"])
    elif kind == "court":
        if cells["result"] not in CourtResultKind.values:
            error("result", f"Enter one of {', '.join(CourtResultKind.values)}")
        for flag in ("uplift_applied", "uplift_announced"):
            parsed = _flag(cells[flag])
            if parsed is None:
                error(flag, f"Enter yes or no, not {cells[flag]!r}")
            values[flag] = bool(parsed)
        values.update(result=cells["result"], offence=cells["offence"], sentence=cells["sentence"])
    return errors, values


def _already_recorded(record: Record, values: dict[str, Any]) -> bool:
    if values["kind"] == "charging":
        return ChargingDecision.objects.filter(
            record=record, decision=values["decision"], decided_by=values["decided_by"], decided_on=values["decided_on"]
        ).exists()
    return CourtResult.objects.filter(record=record, result=values["result"], decided_on=values["decided_on"]).exists()


def _record(actor: User, values: dict[str, Any], record: Record) -> None:
    if values["kind"] == "charging":
        charging_decision_record(actor=actor, record=record, decision=values["decision"],
                                 decided_by=values["decided_by"], decided_on=values["decided_on"])
    else:
        court_result_record(actor=actor, record=record, result=values["result"], decided_on=values["decided_on"],
                            offence_code=values["offence"], sentence=values["sentence"],
                            uplift_applied=values["uplift_applied"], uplift_announced=values["uplift_announced"])


def outcomes_import(*, actor: User, path: Path, mapping: OutcomeMapping, dry_run: bool = False) -> OutcomeImportResult:
    """Checks every row by recording it, in file order, inside one transaction; keeps the
    transaction only when every row passed and this is not a dry run."""
    result = OutcomeImportResult()
    with transaction.atomic():
        for row in _rows(path, mapping):
            result.rows += 1
            errors, values = _check_cells(row, mapping)
            if errors:
                result.errors.extend(errors)
                continue
            try:
                record = record_get_by_reference(user=actor, reference=row.cells["reference"])
            except Record.DoesNotExist:
                result.errors.append(OutcomeRowError(row.number, mapping.header_of("reference"),
                                                     f"No crime you can see has the reference {row.cells['reference']!r}"))
                continue
            if _already_recorded(record, values):
                result.already_recorded += 1
                continue
            try:
                _record(actor, values, record)
            except PermissionDenied as exc:
                result.errors.append(OutcomeRowError(row.number, mapping.header_of("reference"), str(exc)))
                continue
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = mapping.header_of(_FIELD_COLUMN.get(name, "reference"))
                    result.errors.extend(OutcomeRowError(row.number, column, m) for m in messages)
                continue
            if values["kind"] == "charging":
                result.charging_decisions += 1
            else:
                result.court_results += 1
        if result.errors or dry_run:
            # Every row was recorded to check it: undo them all, keeping what was learnt.
            transaction.set_rollback(True)
            return result
        audit_event_write(
            actor=actor, action=outcome_actions.IMPORT_OUTCOMES, target_label=path.name,
            changes={"rows": result.rows, "charging_decisions": result.charging_decisions,
                     "court_results": result.court_results, "already_recorded": result.already_recorded},
        )
        result.saved = True
    return result
