"""Mapping files: how one source's CSV columns become record fields (TOML, read with tomllib).

A mapping names the source system, where each row's source reference comes from (the key that
makes imports idempotent), and one ``[fields.<name>]`` table per record field it fills::

    [source]
    system = "data.police.uk street-level crime"   # stored on each record as its source system
    reference_column = "Crime ID"
    # Rows with a blank reference get a stable one derived from these columns (optional).
    derive_reference_from = ["Month", "Location", "Crime type"]
    on_duplicate = "skip"       # a reference seen earlier in the file: skip the row (default: error)

    [fields.kind]
    value = "other_crime"                 # a fixed value for every row

    [fields.reported_at]
    column = "Month"
    formats = ["%Y-%m"]                   # strptime formats, or "iso" for ISO 8601

    [fields.borough]
    column = "LSOA name"
    pattern = '^(.*) \\d{3}[A-Z]$'        # first group of a full match is used
    lookup = "label"                      # find the code by its label, not its code
    unknown = "blank"                     # a value with no code leaves the field empty

    [fields.is_asb_related]
    column = "Crime type"
    map = { "Anti-social behaviour" = "yes" }   # value maps (case-insensitive)
    otherwise = "no"                      # anything not in the map

    [fields.narrative]
    parts = ["{Crime type}", "Last outcome: {Last outcome category}"]
    separator = ". "                      # parts whose columns are all blank are left out

``default`` fills a blank cell. List fields (``strands``, ``offences``) hold ``"; "``-separated
items (``items_separator`` names another); maps apply to each item, and an item mapped to ""
is dropped ("None", "N/A"). A strand item is ``strand[:sub_category[:perceiver]]`` and an
offence item ``code[:aggravated]``; ``unknown = "blank"`` drops an item with no code. A list
field may read several columns, each with its own map — an export with one yes/no column per
strand::

    [[fields.strands.from]]
    column = "Racially motivated"
    map = { "Yes" = "race", "Y" = "race" }
    otherwise = ""                        # "No", "None", blank: nothing

    [[fields.strands.from]]
    column = "Faith motivated"
    map = { "Yes" = "religion" }
    otherwise = ""

Two columns giving the same strand merge into one. Column names in ``parts`` may be numbers
("{2021}"). A time given apart from its date is read strictly: ``time_column`` with
``time_format`` "HH:MM" (the default), "HHMM" (four digits) or "minutes" (minutes after midnight),
so an unpadded "45" is never read as 04:05.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

# Record fields a mapping may fill, and what kind of value each takes.
TEXT_FIELDS = {"status_reason": 300, "narrative": 0, "location_description": 300, "lsoa_code": 9, "area_code": 9,
               "area_name": 100}
CHOICE_FIELDS = {"kind", "status"}
DATETIME_FIELDS = {"occurred_from", "occurred_to", "reported_at", "recorded_at"}
FLOAT_FIELDS = {"latitude": 90.0, "longitude": 180.0}
CODE_FIELDS = {
    "borough": "borough", "location_type": "location_type", "online_platform": "online_platform",
    # A crime's outcome: a Home Office outcome type by default; ``scheme`` names another list whose
    # codes carry an outcome group (e.g. "police_uk_outcome", data.police.uk's categories).
    "outcome": "outcome",
    # Why a closed record was closed: a closure reason (needed for a closed non-crime hate incident).
    "closure_reason": "status_reason",
}
OUTCOME_SCHEMES = {"outcome", "police_uk_outcome"}
BOOL_FIELDS = {"is_online", "is_domestic_abuse", "is_asb_related", "is_alcohol_drug_related"}
LIST_FIELDS = {"strands", "offences"}
OTHER_FIELDS = {"postcode"}
KNOWN_FIELDS = (
    set(TEXT_FIELDS) | CHOICE_FIELDS | DATETIME_FIELDS | set(FLOAT_FIELDS) | set(CODE_FIELDS) | BOOL_FIELDS
    | LIST_FIELDS | OTHER_FIELDS
)
_SPEC_KEYS = {
    "column", "value", "map", "otherwise", "default", "formats", "pattern", "lookup", "unknown", "parts",
    "separator", "default_perceiver", "scheme", "from", "items_separator", "time_column", "time_format",
}
_SOURCE_KEYS = {"column", "map", "otherwise"}
TIME_FORMATS = ("HH:MM", "HHMM", "minutes")


class MappingError(Exception):
    """The mapping file itself is wrong (not a row of the CSV)."""


@dataclass(frozen=True)
class ColumnSource:
    """One of the columns a list field reads, with its own value map."""

    column: str
    map: dict[str, str] = field(default_factory=dict)
    otherwise: str | None = None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    column: str = ""
    value: str | None = None
    map: dict[str, str] = field(default_factory=dict)
    otherwise: str | None = None
    default: str | None = None
    formats: tuple[str, ...] = ("iso",)
    pattern: re.Pattern[str] | None = None
    lookup: str = "code"
    unknown: str = "error"
    parts: tuple[str, ...] = ()
    separator: str = " "
    default_perceiver: str = "victim"
    scheme: str = ""
    sources: tuple[ColumnSource, ...] = ()
    items_separator: str = ";"
    time_column: str = ""
    time_format: str = "HH:MM"

    @property
    def label(self) -> str:
        """The column named in errors about this field."""
        if self.column:
            return self.column
        if self.sources:
            return ", ".join(source.column for source in self.sources)
        if self.parts:
            return ", ".join(self.part_columns)
        return f"(mapping value for {self.name})"

    @property
    def part_columns(self) -> list[str]:
        return [name for part in self.parts for _, name, _, _ in string.Formatter().parse(part) if name]

    @property
    def columns(self) -> list[str]:
        if self.sources:
            return [source.column for source in self.sources]
        found = [self.column] if self.column else self.part_columns
        return [*found, self.time_column] if self.time_column else found


@dataclass(frozen=True)
class Mapping:
    name: str
    source_system: str
    reference_column: str
    derive_reference_from: tuple[str, ...]
    fields: dict[str, FieldSpec]
    # "error": a source reference twice in one file is an error; "skip": later rows are skipped.
    on_duplicate: str = "error"

    @property
    def columns(self) -> list[str]:
        """Every CSV column the mapping reads, in first-use order."""
        seen: dict[str, None] = {self.reference_column: None}
        for name in self.derive_reference_from:
            seen[name] = None
        for spec in self.fields.values():
            for column in spec.columns:
                seen[column] = None
        return list(seen)


def _text(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MappingError(f"{where}: {key} must be text.")
    return str(value)


def _field_spec(name: str, table: Any) -> FieldSpec:
    where = f"[fields.{name}]"
    if name not in KNOWN_FIELDS:
        raise MappingError(f"{where}: Umbrella records have no field called {name!r}.")
    if not isinstance(table, dict):
        raise MappingError(f"{where} must be a table.")
    unknown_keys = set(table) - _SPEC_KEYS
    if unknown_keys:
        raise MappingError(f"{where}: unknown setting {sorted(unknown_keys)[0]!r}.")
    column = _text(table, "column", where) or ""
    value = _text(table, "value", where)
    parts = table.get("parts", [])
    if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
        raise MappingError(f"{where}: parts must be a list of text templates.")
    sources = _sources(table.get("from", []), where)
    if sources and name not in LIST_FIELDS:
        raise MappingError(f"{where}: only a list field (strands, offences) reads several columns with from.")
    if sum(bool(x) for x in (column, value is not None, parts, sources)) != 1:
        raise MappingError(f"{where}: give exactly one of column, value, parts or from.")
    raw_map = _map(table.get("map", {}), where)
    formats = table.get("formats", ["iso"])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
        raise MappingError(f"{where}: formats must be a list of date formats.")
    pattern_text = _text(table, "pattern", where)
    try:
        pattern = re.compile(pattern_text) if pattern_text else None
    except re.error as exc:
        raise MappingError(f"{where}: pattern is not a valid regular expression ({exc}).") from exc
    lookup = _text(table, "lookup", where) or "code"
    unknown = _text(table, "unknown", where) or "error"
    if lookup not in {"code", "label"} or unknown not in {"error", "blank", "keep"}:
        raise MappingError(f"{where}: lookup is code or label; unknown is error, blank or keep.")
    if unknown == "keep" and name != "borough":
        raise MappingError(f"{where}: unknown = \"keep\" is for the borough: a place outside the listed boroughs is kept "
                           "as its area.")
    scheme = _text(table, "scheme", where) or ""
    if scheme and (name != "outcome" or scheme not in OUTCOME_SCHEMES):
        raise MappingError(f"{where}: scheme is only for the outcome field: one of {', '.join(sorted(OUTCOME_SCHEMES))}.")
    time_column = _text(table, "time_column", where) or ""
    time_format = _text(table, "time_format", where) or "HH:MM"
    if (time_column or "time_format" in table) and name not in DATETIME_FIELDS:
        raise MappingError(f"{where}: time_column and time_format are only for a date and time field.")
    if time_format not in TIME_FORMATS:
        raise MappingError(f"{where}: time_format is one of {', '.join(TIME_FORMATS)}.")
    items_separator = _text(table, "items_separator", where) or ";"
    return FieldSpec(
        name=name,
        column=column,
        value=value,
        map=raw_map,
        otherwise=_text(table, "otherwise", where),
        default=_text(table, "default", where),
        formats=tuple(formats),
        pattern=pattern,
        lookup=lookup,
        unknown=unknown,
        parts=tuple(parts),
        separator=_text(table, "separator", where) or " ",
        default_perceiver=_text(table, "default_perceiver", where) or "victim",
        scheme=scheme,
        sources=sources,
        items_separator=items_separator,
        time_column=time_column,
        time_format=time_format,
    )


def _map(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: map must be a table of value = replacement.")
    return {str(k).casefold(): str(v) for k, v in raw.items()}


def _sources(raw: Any, where: str) -> tuple[ColumnSource, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise MappingError(f"{where}: from must be a list of tables ([[fields.NAME.from]]), one per column.")
    found = []
    for number, item in enumerate(raw, start=1):
        at = f"{where} from #{number}"
        unknown = set(item) - _SOURCE_KEYS
        if unknown:
            raise MappingError(f"{at}: unknown setting {sorted(unknown)[0]!r} (column, map and otherwise are allowed).")
        column = _text(item, "column", at)
        if not column:
            raise MappingError(f"{at}: name the column.")
        found.append(ColumnSource(column=column, map=_map(item.get("map", {}), at), otherwise=_text(item, "otherwise", at)))
    return tuple(found)


def load_mapping(path: str | Path) -> Mapping:
    """Reads and checks a mapping file; a bare name (e.g. ``police_uk_street``) means a shipped one."""
    candidate = Path(path)
    if not candidate.exists() and not candidate.suffix:
        candidate = MAPPINGS_DIR / f"{candidate.name}.toml"
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"There is no mapping file at {path}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{candidate.name} is not valid TOML: {exc}.") from exc
    source = data.get("source")
    if not isinstance(source, dict):
        raise MappingError("The mapping needs a [source] table.")
    system = _text(source, "system", "[source]") or ""
    reference_column = _text(source, "reference_column", "[source]") or ""
    if not system or len(system) > 60:
        raise MappingError("[source]: system must be a name of at most 60 characters.")
    if not reference_column:
        raise MappingError("[source]: reference_column must name the column holding each row's source reference.")
    derive = source.get("derive_reference_from", [])
    if not isinstance(derive, list) or not all(isinstance(c, str) for c in derive):
        raise MappingError("[source]: derive_reference_from must be a list of column names.")
    on_duplicate = _text(source, "on_duplicate", "[source]") or "error"
    if on_duplicate not in {"error", "skip"}:
        raise MappingError("[source]: on_duplicate is error or skip.")
    tables = data.get("fields", {})
    if not isinstance(tables, dict):
        raise MappingError("[fields] must hold one table per record field.")
    fields = {name: _field_spec(name, table) for name, table in tables.items()}
    for required in ("kind", "reported_at"):
        if required not in fields:
            raise MappingError(f"The mapping must fill {required} ([fields.{required}]).")
    return Mapping(
        name=candidate.stem,
        source_system=system,
        reference_column=reference_column,
        derive_reference_from=tuple(derive),
        fields=fields,
        on_duplicate=on_duplicate,
    )
