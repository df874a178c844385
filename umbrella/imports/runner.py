"""The two passes of an import. Both stream the file, so memory does not grow with its length.

Pass 1 (``validate_file``) parses every row and collects every error; nothing is written.
Pass 2 (``import_file``) runs only when pass 1 found none, parses the rows again with the same
parser and writes them a batch at a time through ``imports.services``. The only thing kept
across rows is the set of source references seen (to find duplicates within the file).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from umbrella.cases.models import RecordStatus
from umbrella.imports.mapping import Mapping
from umbrella.imports.rows import CodeBook, ImportRow, RowError, RowParser
from umbrella.imports.selectors import existing_source_references
from umbrella.imports.services import (
    records_import_batch,
    records_import_finish,
    records_import_start,
)
from umbrella.outcomes.policy import needs_outcome_to_close
from umbrella.reference.selectors import latest_version

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.agencies.models import Organisation

BATCH_SIZE = 500
KEPT_ERRORS = 1000  # every error is counted; this many are kept to show
Progress = Callable[[int], object]


class FileError(Exception):
    """The file cannot be read as a CSV with the mapping's columns."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    already_imported: int
    duplicates: int


@dataclass
class ValidationReport:
    rows: int = 0
    new: int = 0
    already_imported: int = 0
    duplicates: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Given, it is handed every error as found (``--errors-out`` writes them all to a file).
    sink: Callable[[list[RowError]], None] | None = None

    def add(self, errors: list[RowError]) -> None:
        if self.sink is not None:
            self.sink(errors)
        self.error_count += len(errors)
        room = KEPT_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def _cells(path: Path, mapping: Mapping) -> Iterator[tuple[int, dict[str, str], bool]]:
    """(spreadsheet row number, cells by column, too many cells) per data row; the header is row 1."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise FileError(f"{path} cannot be opened: {exc.strerror}.") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise FileError(f"{path.name} is empty: it has no header row.") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileError(f"{path.name} is not a UTF-8 CSV file ({exc}).") from exc
        missing = [name for name in mapping.columns if name not in header]
        if missing:
            raise FileError(
                f"Row 1 (the header) lacks the column{'s' if len(missing) > 1 else ''} the mapping "
                f"{mapping.name} reads: {', '.join(missing)}."
            )
        row_number = 1
        try:
            for values in reader:
                row_number += 1
                if not any(value.strip() for value in values):
                    continue
                yield row_number, dict(zip(header, values, strict=False)), len(values) > len(header)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileError(f"Row {row_number + 1} cannot be read: {exc}.") from exc


CLOSED_WITHOUT_OUTCOME = (
    "A closed crime needs its outcome, which imports do not carry yet: import it as recorded or under "
    "investigation, then record its outcome on the record."
)


def validate_file(
    path: Path, *, mapping: Mapping, organisation: Organisation, progress: Progress | None = None,
    sink: Callable[[list[RowError]], None] | None = None,
) -> ValidationReport:
    report = ValidationReport(sink=sink)
    parser = RowParser(mapping, CodeBook())
    first_row: dict[str, int] = {}
    pending: list[str] = []

    def count_existing() -> None:
        found = existing_source_references(
            organisation=organisation, source_system=mapping.source_system, references=pending
        )
        report.already_imported += len(found)
        report.new += len(pending) - len(found)
        pending.clear()

    for row_number, cells, too_long in _cells(path, mapping):
        report.rows += 1
        if progress is not None:
            progress(1)
        if too_long:
            report.add([RowError(row_number, "(whole row)", "This row has more cells than the header has columns.")])
            continue
        parsed = parser.parse(row_number, cells)
        if isinstance(parsed, list):
            report.add(parsed)
            continue
        if parsed.status == RecordStatus.CLOSED and needs_outcome_to_close(
            kind=parsed.kind, organisation_kind=organisation.kind
        ):
            # The same rule as closing on the pages and the API (a crime closes with its outcome).
            report.add([RowError(row_number, parser.label_of("status"), CLOSED_WITHOUT_OUTCOME)])
            continue
        reference = parsed.source_reference
        if reference in first_row and mapping.on_duplicate == "skip":
            report.duplicates += 1
            continue
        if reference in first_row:
            report.add([
                RowError(
                    row_number, mapping.reference_column,
                    f"Source reference {reference} is also on row {first_row[reference]}.",
                )
            ])
            continue
        first_row[reference] = row_number
        pending.append(reference)
        if len(pending) >= BATCH_SIZE:
            count_existing()
    count_existing()
    return report


def import_file(
    path: Path,
    *,
    mapping: Mapping,
    organisation: Organisation,
    actor: User,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Writes a file that ``validate_file`` passed. Each batch is its own transaction."""
    parser = RowParser(mapping, CodeBook())
    version = latest_version()
    created = already = rows = duplicates = 0
    batch: list[ImportRow] = []
    seen: set[str] = set()
    run_id = records_import_start(
        actor=actor, organisation=organisation, source_system=mapping.source_system, mapping=mapping.name,
        file_name=path.name,
    )

    def flush() -> None:
        nonlocal created, already
        result = records_import_batch(
            actor=actor, organisation=organisation, source_system=mapping.source_system,
            rows=batch, reference_version=version, run_id=run_id,
        )
        created += result.created
        already += result.already_imported
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for row_number, cells, _ in _cells(path, mapping):
        parsed = parser.parse(row_number, cells)
        if isinstance(parsed, list):
            # The file changed since it was validated; stop rather than import part of a bad file.
            first = parsed[0]
            raise FileError(f"Row {first.row}, {first.column}: {first.reason} (the file changed during the import).")
        rows += 1
        if parsed.source_reference in seen:
            # Validation allowed it, so the mapping says skip (on_duplicate = "skip").
            duplicates += 1
            if progress is not None:
                progress(1)
            continue
        seen.add(parsed.source_reference)
        batch.append(parsed)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    records_import_finish(
        actor=actor, organisation=organisation, source_system=mapping.source_system, mapping=mapping.name,
        file_name=path.name, rows=rows, created=created, already_imported=already, duplicates=duplicates,
        run_id=run_id,
    )
    return ImportResult(created=created, already_imported=already, duplicates=duplicates)
