"""Official figures to set Umbrella's counts against: the Home Office's police recorded hate crime
and the Metropolitan Police's monthly borough series.

``umbrella stats import home-office FILE`` reads either the Home Office bulletin's own data tables
(``.ods``, read with python-calamine: Table 2, national figures by strand for each financial year)
or the per-force CSV (one row per force and year: Race, Total Religion, Sexual orientation,
Disability, Transgender, the total of motivating factors and the total of offences).
``umbrella stats import mps-monthly FILE`` reads the Met's wide CSV (Borough, MajorText, MinorText,
then one column per month, 201004 …): its domestic abuse and special-crime rows and its non-borough
units (e.g. Aviation Security) are left out, and each hate category is filed under a strand.

The bulletin's tables also give outcome figures for a sample of forces: the share of offences
resulting in a charge or summons, hate crime flagged against not (Figure 7) and by strand (Figure 8),
and the median days to an outcome (Figure 9). They are kept beside the counts (``BaselineShare``)
so the attrition funnel can show whether hate crime drops out more than other crime.

Every figure keeps the source's own words (``category``) beside the strand Umbrella files it under.
Importing is idempotent: a figure already there (same source, period, area and category) is
replaced by the file's, so the same file twice changes nothing. Nothing is saved when any part of
the file cannot be read: the error names the row (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from umbrella.audit.services import audit_event_write
from umbrella.reference.models import Code, Scheme
from umbrella.statistics import actions
from umbrella.statistics.models import (
    Baseline,
    BaselineCount,
    BaselineShare,
    BaselineSource,
    ShareMeasure,
)
from umbrella.statistics.services import financial_year

if TYPE_CHECKING:
    from umbrella.accounts.models import User

ENGLAND_AND_WALES = "K04000001"
OGL = "Open Government Licence v3.0"
ATTRIBUTION = {
    BaselineSource.HOME_OFFICE: "Home Office, police recorded crime: Hate crime, England and Wales (Crown copyright)",
    BaselineSource.MPS_MONTHLY: "Metropolitan Police Service via the London Datastore: MPS hate crime dashboard data",
}
# The Home Office's strand columns and rows → Umbrella's strand codes.
HOME_OFFICE_STRANDS = {
    "race": "race", "religion": "religion", "total religion": "religion", "sexual orientation": "sexual_orientation",
    "disability": "disability", "transgender": "transgender",
}
HOME_OFFICE_TOTALS = {"total number of motivating factors": False, "total number of offences": True}
# The Met's hate categories → (strand, sub-category). Racist and religious hate crime is one
# category there; it is filed under race, and faith hate crime (part of it) under religion, so a
# count grouped by strand, as the Home Office's own, adds up to more than the offences.
MPS_CATEGORIES = {
    "racist and religious hate crime": ("race", ""),
    "faith hate crime": ("religion", ""),
    "anti-semitic": ("religion", "antisemitic"),
    "islamophobic": ("religion", "anti_muslim"),
    "homophobic hate crime": ("sexual_orientation", ""),
    "transgender hate": ("transgender", ""),
    "disability hate crime": ("disability", ""),
}
MPS_LEFT_OUT = re.compile(r"domestic abuse", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^(\d{4}/\d{2})\d*$")
_MONTH_COLUMN = re.compile(r"^(\d{4})(\d{2})$")


class BaselineFileError(Exception):
    """The file cannot be read as the source's figures; the message says where and why."""


@dataclass(frozen=True)
class Figure:
    period: str
    financial_year: str
    month: date | None
    area_kind: str
    area: str
    area_name: str
    category: str
    strand: str
    sub_category: str
    in_total: bool
    count: int


def _count(value: object, *, row: int, column: str) -> int:
    text = str(value).replace(",", "").strip()
    try:
        number = float(text)
    except ValueError:
        raise BaselineFileError(f"Row {row}, column '{column}': {value!r} is not a count") from None
    if number < 0 or number != int(number):
        raise BaselineFileError(f"Row {row}, column '{column}': {value!r} is not a whole number of offences")
    return int(number)


def _home_office_ods(path: Path) -> Iterator[Figure]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        table = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Table_2").to_python()
    except (CalamineError, ValueError, OSError) as exc:
        raise BaselineFileError(f"{path.name} has no readable Table_2 (the bulletin's figures by strand): {exc}") from exc
    header_at = next((i for i, row in enumerate(table) if str(row[0]).strip().lower() == "hate crime strand"), None)
    if header_at is None:
        raise BaselineFileError(f"{path.name}: Table_2 has no 'Hate crime strand' header row")
    years = {}
    for column, cell in enumerate(table[header_at][1:], start=1):
        if match := _FOOTNOTE.match(str(cell).strip()):
            years[column] = match.group(1)  # "2017/183" is 2017/18 with footnote 3
    for index, row in enumerate(table[header_at + 1:], start=header_at + 2):
        label = str(row[0]).strip()
        key = label.lower()
        if key not in HOME_OFFICE_STRANDS and key not in HOME_OFFICE_TOTALS:
            continue
        for column, year in years.items():
            cell = row[column] if column < len(row) else ""
            if str(cell).strip() in ("", "N/A"):
                continue  # not collected that year
            yield Figure(year, year, None, "national", ENGLAND_AND_WALES, "England and Wales", label,
                         HOME_OFFICE_STRANDS.get(key, ""), "", HOME_OFFICE_TOTALS.get(key, False),
                         _count(cell, row=index, column=str(table[header_at][column])))


@dataclass(frozen=True)
class Share:
    period: str
    coverage: str
    measure: str
    offence_group: str
    group: str
    value: float


# The outcome figures' sheets: (sheet, measure, the words that head each group's rows, or None
# where the groups are columns).
_SHARE_SHEETS = (
    ("Figure_7", ShareMeasure.CHARGED),
    ("Figure_8", ShareMeasure.CHARGED),
    ("Figure_9", ShareMeasure.MEDIAN_DAYS),
)
_ROW_GROUPS = {"hate crime flagged": "hate", "non-hate crime flagged": "not_hate"}
_COLUMN_GROUPS = {**HOME_OFFICE_STRANDS, "non-hate crime": "not_hate", "hate crime flagged": "hate", "all offences": "all"}
_PERIOD = re.compile(r"(\d{4}/\d{2})")
_FORCES = re.compile(r"(\d+) forces")


def _value(value: object, *, sheet: str, row: int, column: int) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise BaselineFileError(f"{sheet}, row {row}, column {column}: {value!r} is not a number") from None
    if number < 0:
        raise BaselineFileError(f"{sheet}, row {row}, column {column}: {value!r} is below zero")
    return number


def _sheet_shares(table: Sequence[Sequence[object]], sheet: str, measure: str) -> Iterator[Share]:
    title = str(table[0][0]) if table and table[0] else ""
    period = _PERIOD.search(title)
    if period is None:
        raise BaselineFileError(f"{sheet}, row 1: the title names no year (e.g. 2018/19): {title!r}")
    forces = next((str(row[0]).strip()[2:].strip() for row in table if str(row[0]).strip().startswith("1. ")), "")
    how_many = _FORCES.search(title)
    coverage = f"{how_many.group(1)} forces ({forces})" if how_many and forces else forces
    # Groups as columns: the header row is the last row, before the first figure, that names them.
    columns: dict[int, str] = {}
    row_group = ""
    for index, row in enumerate(table, start=1):
        cells = [str(cell).strip() for cell in row]
        named = {i: _COLUMN_GROUPS[c.lower()] for i, c in enumerate(cells) if i > 0 and c.lower() in _COLUMN_GROUPS}
        if named:
            columns = {**columns, **named}
            continue
        label = cells[0] if cells else ""
        if label.lower() in _ROW_GROUPS:
            row_group = _ROW_GROUPS[label.lower()]
            continue
        # A row of figures has a label and numbers (the spreadsheet's own number cells); any
        # other row is a heading or a note.
        figures = [(i, row[i]) for i in range(1, len(row)) if cells[i] != ""]
        if not label or not any(isinstance(cell, int | float) for _, cell in figures):
            continue
        for column, cell in figures:
            group = columns.get(column) or row_group
            if not group:
                raise BaselineFileError(f"{sheet}, row {index}, column {column + 1}: no group heads this figure")
            yield Share(period.group(1), coverage, measure, label, group,
                        _value(cell, sheet=sheet, row=index, column=column + 1))


def read_outcome_shares(path: Path) -> list[Share]:
    """The bulletin's outcome figures (Figures 7, 8 and 9), or none for a file without them; one
    figure per measure, offence group and group (Figures 7 and 8 repeat the not-hate-flagged share)."""
    if path.suffix.lower() != ".ods":
        return []
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as exc:
        raise BaselineFileError(f"{path.name} cannot be read: {exc}") from exc
    shares: dict[tuple[str, str, str, str], Share] = {}
    for sheet, measure in _SHARE_SHEETS:
        if sheet not in workbook.sheet_names:
            continue
        for share in _sheet_shares(workbook.get_sheet_by_name(sheet).to_python(), sheet, measure):
            shares[(share.period, share.measure, share.offence_group, share.group)] = share
    return list(shares.values())


def _home_office_csv(path: Path) -> Iterator[Figure]:
    reader = csv.DictReader(_lines(path))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [c for c in ("Force", "Year") if c not in header]
    if missing:
        raise BaselineFileError(f"{path.name} has no column {', '.join(missing)}: is it the Home Office per-force file?")
    columns = [c for c in header if c.lower() in HOME_OFFICE_STRANDS or c.lower() in HOME_OFFICE_TOTALS]
    for number, row in enumerate(reader, start=2):
        year = row["Year"].strip().replace("-", "/")
        if not re.fullmatch(r"\d{4}/\d{2}", year):
            raise BaselineFileError(f"Row {number}, column 'Year': {row['Year']!r} is not a financial year like 2018-19")
        force = row["Force"].strip()
        for column in columns:
            key = column.lower()
            yield Figure(year, year, None, "force", force, force, column, HOME_OFFICE_STRANDS.get(key, ""), "",
                         HOME_OFFICE_TOTALS.get(key, False), _count(row[column], row=number, column=column))


def _mps_monthly(path: Path, boroughs: dict[str, str]) -> Iterator[Figure]:
    reader = csv.DictReader(_lines(path))
    header = reader.fieldnames or []
    if header[:3] != ["Borough", "MajorText", "MinorText"]:
        raise BaselineFileError(f"{path.name} does not start with Borough,MajorText,MinorText: is it the Met's monthly file?")
    months = {column: date(int(m.group(1)), int(m.group(2)), 1) for column in header[3:] if (m := _MONTH_COLUMN.match(column))}
    for number, row in enumerate(reader, start=2):
        if row["MajorText"].strip() != "Hate" or MPS_LEFT_OUT.search(row["MinorText"]):
            continue
        category = row["MinorText"].strip()
        mapped = MPS_CATEGORIES.get(category.lower())
        if mapped is None:
            raise BaselineFileError(f"Row {number}, column 'MinorText': {category!r} is not a hate category Umbrella knows")
        gss = boroughs.get(row["Borough"].strip().lower())
        if gss is None:
            continue  # a unit that is not a borough (e.g. Aviation Security)
        for column, month in months.items():
            yield Figure(f"{month:%Y-%m}", financial_year(month), month, "borough", gss, row["Borough"].strip(), category,
                         mapped[0], mapped[1], False, _count(row[column], row=number, column=column))


def _lines(path: Path) -> Iterable[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineFileError(f"{path} cannot be read as UTF-8 text: {exc}") from exc


def read_figures(source: str, path: Path) -> list[Figure]:
    """Every figure in the file, or BaselineFileError: nothing is kept from a file that fails part-way."""
    if source == BaselineSource.HOME_OFFICE:
        figures = list(_home_office_ods(path) if path.suffix.lower() == ".ods" else _home_office_csv(path))
    elif source == BaselineSource.MPS_MONTHLY:
        boroughs = {code.label.lower(): code.code for code in Code.objects.filter(scheme=Scheme.BOROUGH)}
        figures = list(_mps_monthly(path, boroughs))
    else:
        raise BaselineFileError(f"Unknown source {source!r}: home-office or mps-monthly")
    if not figures:
        raise BaselineFileError(f"{path.name} holds no figures Umbrella can read")
    return figures


@transaction.atomic
def baseline_import(*, actor: User | None, source: str, path: Path) -> Baseline:
    """Reads the file whole, then upserts its figures in one transaction, audited."""
    figures = read_figures(source, path)
    shares = read_outcome_shares(path) if source == BaselineSource.HOME_OFFICE else []
    baseline = Baseline.objects.create(
        source=source, file_name=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        attribution=ATTRIBUTION[BaselineSource(source)], licence=OGL, rows=len(figures), imported_by=actor,
    )
    BaselineCount.objects.bulk_create(
        [BaselineCount(baseline=baseline, source=source, **figure.__dict__) for figure in figures],
        batch_size=2000, update_conflicts=True, unique_fields=["source", "period", "area", "category"],
        update_fields=["baseline", "financial_year", "month", "area_kind", "area_name", "strand", "sub_category",
                       "in_total", "count"],
    )
    BaselineShare.objects.bulk_create(
        [BaselineShare(baseline=baseline, source=source, area=ENGLAND_AND_WALES, **share.__dict__) for share in shares],
        update_conflicts=True, unique_fields=["source", "period", "area", "measure", "offence_group", "group"],
        update_fields=["baseline", "coverage", "value"],
    )
    audit_event_write(actor=actor, action=actions.STATISTICS_BASELINE_IMPORT, target=baseline, target_label=path.name,
                      changes={"source": source, "figures": len(figures), "outcome_figures": len(shares),
                               "sha256": baseline.sha256})
    return baseline
