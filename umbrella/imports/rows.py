"""Turning one CSV row into checked record values, or into every error it has.

The same parser runs in both passes of an import, so what was validated is exactly what is
written. It holds no rows: only the current reference codes and, for derived source
references, a count per derived key (so identical rows get distinct, stable references).
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.utils import timezone

from umbrella.cases import rules
from umbrella.cases.inputs import FlagsInput, LocationInput, OffenceInput, StrandInput
from umbrella.cases.models import RecordKind, RecordStatus
from umbrella.cases.services import display_postcode
from umbrella.imports.cells import unescape_cell
from umbrella.imports.mapping import (
    BOOL_FIELDS,
    CODE_FIELDS,
    DATETIME_FIELDS,
    FLOAT_FIELDS,
    TEXT_FIELDS,
    FieldSpec,
    Mapping,
)
from umbrella.reference.models import Code
from umbrella.reference.selectors import current_codes
from umbrella.reference.services import GSS_PATTERN

TRUE_WORDS = {"yes", "y", "true", "t", "1"}
# Two number directives with nothing between them (e.g. %H%M): only a zero-padded value reads safely.
_RUN_TOGETHER = re.compile(r"%[HIMSdmyY]%[HIMSdmyY]")
_HHMM = re.compile(r"(\d{2})(\d{2})")
_HH_MM = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?")
FALSE_WORDS = {"no", "n", "false", "f", "0", ""}
MAX_SOURCE_REFERENCE = 120
KINDS = frozenset(RecordKind.values)
STATUSES = frozenset(RecordStatus.values)


class KeptArea(str):
    """A borough value that is no listed borough, kept as the area it names (a GSS code or a name)."""

    __slots__ = ()

    @property
    def is_code(self) -> bool:
        return bool(GSS_PATTERN.match(self.strip().upper()))


class CellError(ValueError):
    """A bad value in one particular column of a field that reads several."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


class _Keys(string.Formatter):
    """str.format with every field name a column name: "{2021}" is the column called 2021, not
    the 2,022nd positional argument."""

    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        return kwargs[str(key)]


_KEYS = _Keys()


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    reason: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    source_reference: str
    kind: str
    status: str
    status_reason: str
    closure_reason: Code | None
    narrative: str
    reported_at: datetime
    occurred_from: datetime | None
    occurred_to: datetime | None
    recorded_at: datetime | None
    location: LocationInput
    flags: FlagsInput
    strands: tuple[StrandInput, ...]
    offences: tuple[OffenceInput, ...]
    # The crime's outcome where the source gives one (given a date: the day it was reported).
    outcome: Code | None = None


class CodeBook:
    """Current reference codes by scheme, loaded once per scheme (a few hundred rows at most)."""

    def __init__(self) -> None:
        self._by_code: dict[str, dict[str, Code]] = {}
        self._by_label: dict[str, dict[str, Code]] = {}

    def _load(self, scheme: str) -> None:
        if scheme not in self._by_code:
            rows = list(current_codes(scheme=scheme))
            self._by_code[scheme] = {row.code: row for row in rows}
            self._by_label[scheme] = {row.label.casefold(): row for row in rows}

    def get(self, scheme: str, value: str, *, by_label: bool = False) -> Code | None:
        self._load(scheme)
        if by_label:
            return self._by_label[scheme].get(value.casefold())
        return self._by_code[scheme].get(value)



class RowParser:
    def __init__(self, mapping: Mapping, codes: CodeBook | None = None) -> None:
        self.mapping = mapping
        self.codes = codes or CodeBook()
        self._derived_seen: dict[str, int] = {}
        self._now = timezone.now()

    # ---- raw values -----------------------------------------------------------------------

    def _raw(self, spec: FieldSpec, cells: dict[str, str]) -> str:
        if spec.value is not None:
            return spec.value
        if spec.parts:
            return self._render_parts(spec, cells)
        value = cells.get(spec.column, "")
        if spec.pattern is not None:
            match = spec.pattern.fullmatch(value)
            if match is not None and match.groups():
                value = (match.group(1) or "").strip()
        value = self._mapped(spec, value)
        if value == "" and spec.default is not None:
            value = spec.default
        return value

    def _mapped(self, spec: FieldSpec, value: str) -> str:
        if not spec.map and spec.otherwise is None:
            return value
        mapped = spec.map.get(value.casefold())
        if mapped is not None:
            return mapped
        return spec.otherwise if spec.otherwise is not None else value

    def _render_parts(self, spec: FieldSpec, cells: dict[str, str]) -> str:
        rendered = []
        for part in spec.parts:
            names = [name for _, name, _, _ in string.Formatter().parse(part) if name]
            if names and not any(cells.get(name, "") for name in names):
                continue
            rendered.append(_KEYS.vformat(part, (), {name: cells.get(name, "") for name in names}).strip())
        return spec.separator.join(piece for piece in rendered if piece)

    # ---- typed values ---------------------------------------------------------------------

    def _datetime(self, spec: FieldSpec, value: str) -> datetime:
        for fmt in spec.formats:
            try:
                parsed = datetime.fromisoformat(value) if fmt == "iso" else datetime.strptime(value, fmt)  # noqa: DTZ007
            except ValueError:
                continue
            if fmt != "iso" and _RUN_TOGETHER.search(fmt) and parsed.strftime(fmt) != value:
                # "%H%M" reads "45" as 04:05: with nothing between two numbers, only a padded value is safe.
                continue
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return parsed
        shown = " or ".join("ISO 8601 (2026-03-27T14:05)" if f == "iso" else f for f in spec.formats)
        raise ValueError(f"“{value}” is not a date and time in the format {shown}.")

    def _time(self, spec: FieldSpec, value: str) -> time:
        """A time of day from its own column, read strictly by the mapping's time_format."""
        text = value.strip()
        if spec.time_format == "minutes":
            if not text.isdigit() or int(text) >= 24 * 60:
                raise CellError(spec.time_column, f"“{value}” is not a number of minutes after midnight (0 to 1439).")
            return time(int(text) // 60, int(text) % 60)
        pattern = _HHMM if spec.time_format == "HHMM" else _HH_MM
        match = pattern.fullmatch(text)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            shown = "four digits, as 0945" if spec.time_format == "HHMM" else "hours and minutes, as 09:45"
            raise CellError(spec.time_column, f"“{value}” is not a time written as {shown}.")
        return time(int(match.group(1)), int(match.group(2)))

    def _with_time(self, spec: FieldSpec, moment: datetime | None, cells: dict[str, str]) -> datetime | None:
        value = cells.get(spec.time_column, "")
        if moment is None or not value.strip():
            return moment
        clock = self._time(spec, value)
        return moment.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)

    def _code(self, scheme: str, value: str, *, by_label: bool = False) -> Code:
        code = self.codes.get(scheme, value, by_label=by_label)
        if code is None:
            raise ValueError(f"“{value}” is not a current {scheme.replace('_', ' ')} {'label' if by_label else 'code'}.")
        return code

    def _bool(self, value: str) -> bool:
        word = value.strip().casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"“{value}” is not yes or no.")

    def _items(self, spec: FieldSpec, cells: dict[str, str]) -> list[tuple[str, str]]:
        """(column, item) for every item of a list field: from its one column (or value, or parts),
        or from each of its columns with that column's map. An item mapped to "" is dropped."""
        found: list[tuple[str, str]] = []
        if spec.sources:
            for source in spec.sources:
                for item in cells.get(source.column, "").split(spec.items_separator):
                    item = item.strip()
                    mapped = source.map.get(item.casefold())
                    if mapped is None:
                        mapped = source.otherwise if source.otherwise is not None else item
                    if item and mapped.strip():
                        found.append((source.column, mapped.strip()))
            return found
        for item in self._raw(spec, cells).split(spec.items_separator):
            item = item.strip()
            mapped = self._mapped(spec, item).strip() if item else ""
            if mapped:
                found.append((spec.label, mapped))
        return found

    def _list_code(self, spec: FieldSpec, scheme: str, value: str, column: str) -> Code | None:
        code = self.codes.get(scheme, value)
        if code is None and spec.unknown == "error":
            raise CellError(column, f"“{value}” is not a current {scheme.replace('_', ' ')} code.")
        return code

    def _strands(self, spec: FieldSpec, items: list[tuple[str, str]]) -> tuple[StrandInput, ...]:
        """Strands in order; the same strand from two columns is one strand (the one with a
        sub-category, where one has it); the same strand perceived by two different people is refused."""
        chosen: dict[str, StrandInput] = {}
        for column, item in items:
            strand_code, sub_code, perceiver_code = ([*item.split(":"), "", ""])[:3]
            strand = self._list_code(spec, "strand", strand_code.strip(), column)
            if strand is None:
                continue
            sub = self._list_code(spec, "sub_category", sub_code.strip(), column) if sub_code.strip() else None
            if sub is not None and sub.parent_code != strand.code:
                raise CellError(column, f"“{sub.code}” is not a sub-category of {strand.code}.")
            perceiver = self._list_code(spec, "perceiver", perceiver_code.strip() or spec.default_perceiver, column)
            if perceiver is None:
                continue
            candidate = StrandInput(strand=strand, perceiver=perceiver, sub_category=sub)
            earlier = chosen.get(strand.code)
            if earlier is None:
                chosen[strand.code] = candidate
                continue
            if earlier.perceiver.code != perceiver.code or (
                earlier.sub_category and sub and earlier.sub_category.code != sub.code
            ):
                raise CellError(column, f"{item} is listed twice.")
            if earlier.sub_category is None and sub is not None:
                chosen[strand.code] = candidate
        return tuple(chosen.values())

    def _offences(self, spec: FieldSpec, items: list[tuple[str, str]]) -> tuple[OffenceInput, ...]:
        offences: dict[str, OffenceInput] = {}
        for column, item in items:
            code, _, flag = item.partition(":")
            if flag.strip() not in {"", "aggravated"}:
                raise CellError(column, f"“{item}”: write an offence as CODE or CODE:aggravated.")
            offence = self._list_code(spec, "offence", code.strip(), column)
            if offence is None:
                continue
            aggravated = flag.strip() == "aggravated" or (offence.code in offences and offences[offence.code].is_aggravated)
            offences[offence.code] = OffenceInput(offence=offence, is_aggravated=aggravated)
        return tuple(offences.values())

    def _typed(self, spec: FieldSpec, value: str) -> Any:
        name = spec.name
        if name == "kind":
            if value and value not in KINDS:
                raise ValueError(f"“{value}” is not a kind of record ({', '.join(RecordKind.values)}).")
            return value
        if name == "status":
            if value and value not in STATUSES:
                raise ValueError(f"“{value}” is not a record status ({', '.join(RecordStatus.values)}).")
            return value
        if name in DATETIME_FIELDS:
            return self._datetime(spec, value) if value else None
        if name in FLOAT_FIELDS:
            if not value:
                return None
            try:
                number = float(value)
            except ValueError:
                raise ValueError(f"“{value}” is not a number.") from None
            limit = FLOAT_FIELDS[name]
            if not -limit <= number <= limit:
                raise ValueError(f"{name.capitalize()} must be between -{limit:g} and {limit:g}.")
            return number
        if name in CODE_FIELDS:
            if not value:
                return None
            scheme = spec.scheme or CODE_FIELDS[name]
            code = self.codes.get(scheme, value, by_label=spec.lookup == "label")
            if code is None and spec.unknown == "error":
                return self._code(scheme, value, by_label=spec.lookup == "label")
            if code is None and spec.unknown == "keep":
                return KeptArea(value)
            return code
        if name in BOOL_FIELDS:
            return self._bool(value)
        if name == "postcode":
            # Stored as cases.services stores it ("SW1A 1AA"), so imported and typed records match.
            postcode = display_postcode(value) if value else ""
            if len(postcode) > 10:
                raise ValueError("A postcode is at most 10 characters.")
            return postcode
        limit = TEXT_FIELDS.get(name, 0)
        if limit and len(value) > limit:
            raise ValueError(f"This is {len(value)} characters; the most is {limit}.")
        return value

    # ---- source reference -----------------------------------------------------------------

    def _source_reference(self, row: int, cells: dict[str, str], errors: list[RowError]) -> str:
        column = self.mapping.reference_column
        reference = cells.get(column, "")
        if not reference and self.mapping.derive_reference_from:
            basis = "\x1f".join(cells.get(name, "") for name in self.mapping.derive_reference_from)
            digest = hashlib.sha256(basis.encode()).hexdigest()
            # Identical rows (e.g. two incidents at the same place in the same month) are told
            # apart by how many came before them in the file, which is stable for the same file.
            occurrence = self._derived_seen.get(digest, 0) + 1
            self._derived_seen[digest] = occurrence
            reference = f"derived-{hashlib.sha256(f'{digest}#{occurrence}'.encode()).hexdigest()[:40]}"
        if not reference:
            errors.append(RowError(row, column, "Enter a source reference: it is how a re-import finds this row."))
        elif len(reference) > MAX_SOURCE_REFERENCE:
            errors.append(RowError(row, column, f"A source reference is at most {MAX_SOURCE_REFERENCE} characters."))
        return reference

    # ---- the row --------------------------------------------------------------------------

    def parse(self, row: int, raw_cells: dict[str, str]) -> ImportRow | list[RowError]:
        cells = {key: unescape_cell((value or "").strip()) for key, value in raw_cells.items()}
        errors: list[RowError] = []
        reference = self._source_reference(row, cells, errors)
        values: dict[str, Any] = {}
        for name, spec in self.mapping.fields.items():
            try:
                if name == "strands":
                    values[name] = self._strands(spec, self._items(spec, cells))
                elif name == "offences":
                    values[name] = self._offences(spec, self._items(spec, cells))
                elif spec.time_column:
                    values[name] = self._with_time(spec, self._typed(spec, self._raw(spec, cells)), cells)
                else:
                    values[name] = self._typed(spec, self._raw(spec, cells))
            except ValueError as exc:
                error = RowError(row, exc.column if isinstance(exc, CellError) else spec.label, str(exc))
                if error not in errors:  # two fields read from one column fail once
                    errors.append(error)
        if errors:
            return errors
        errors = self._check_record(row, values)
        if errors:
            return errors
        return self._build(row, reference, values)

    def label_of(self, name: str) -> str:
        """The column a field comes from, as error messages name it."""
        return self._where(name)

    def _where(self, name: str) -> str:
        spec = self.mapping.fields.get(name)
        return spec.label if spec else f"(no column for {name})"

    def _check_record(self, row: int, values: dict[str, Any]) -> list[RowError]:
        """The rules cases.services applies to a new record, reported against this row's columns."""
        errors: list[RowError] = []
        kind = values.get("kind") or ""
        status = values.get("status") or RecordStatus.RECORDED
        occurred_from, occurred_to = values.get("occurred_from"), values.get("occurred_to")
        reported_at: datetime | None = values.get("reported_at")
        if not kind:
            errors.append(RowError(row, self._where("kind"), "Enter the kind of record."))
        if reported_at is None:
            errors.append(RowError(row, self._where("reported_at"), "Enter when it was reported."))
        if not (values.get("narrative") or "").strip() and status != RecordStatus.DRAFT:
            errors.append(RowError(row, self._where("narrative"), "Enter what happened."))
        if status == RecordStatus.CLOSED and kind in RecordKind.values:
            # The rule closing on a page applies (cases.rules), named by this row's columns.
            reason_code: Code | None = values.get("closure_reason")
            errors.extend(
                RowError(row, self._where("closure_reason" if field == "reason_code" else "status_reason"), message + ".")
                for field, message in rules.closing_errors(
                    kind=kind, reason_code=reason_code.code if reason_code else "", reason=values.get("status_reason") or "",
                    reason_attributes=dict(reason_code.attributes) if reason_code else None, closed_already=True,
                ).items()
            )
        kept = values.get("borough")
        if isinstance(kept, KeptArea):
            # Outside the listed boroughs: the place stays as given (its code, or its name).
            values["borough"] = None
            values["area_code" if kept.is_code else "area_name"] = kept.strip().upper() if kept.is_code else kept.strip()
        if values.get("outcome") is not None and kind not in (RecordKind.HATE_CRIME, RecordKind.OTHER_CRIME):
            errors.append(RowError(row, self._where("outcome"), "Only a crime has an outcome: change the kind, or leave the outcome empty."))
        # The same rules as every other route into a record (cases.rules), named by this row's columns.
        rule_errors = {
            **rules.date_errors(occurred_from=occurred_from, occurred_to=occurred_to, reported_at=reported_at),
            **rules.completeness_errors(
                kind=kind, status=status, strand_count=len(values.get("strands") or ()),
                has_borough=values.get("borough") is not None or bool(values.get("area_code") or values.get("area_name")),
                has_online_platform=values.get("online_platform") is not None,
            ),
        }
        errors.extend(RowError(row, self._where(field), message) for field, message in rule_errors.items())
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            errors.append(RowError(row, self._where("latitude"), "Give both latitude and longitude, or neither."))
        return errors

    def _build(self, row: int, reference: str, values: dict[str, Any]) -> ImportRow:
        status = values.get("status") or RecordStatus.RECORDED
        return ImportRow(
            row=row,
            source_reference=reference,
            kind=values["kind"],
            status=status,
            status_reason=(values.get("status_reason") or "").strip(),
            closure_reason=values.get("closure_reason") if status == RecordStatus.CLOSED else None,
            narrative=(values.get("narrative") or "").strip(),
            reported_at=values["reported_at"],
            occurred_from=values.get("occurred_from"),
            occurred_to=values.get("occurred_to"),
            recorded_at=values.get("recorded_at"),
            location=LocationInput(
                description=(values.get("location_description") or "").strip(),
                postcode=values.get("postcode") or "",
                borough=values.get("borough"),
                lsoa_code=values.get("lsoa_code") or "",
                area_code=(values.get("area_code") or "").upper(),
                area_name=values.get("area_name") or "",
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
                location_type=values.get("location_type"),
                online_platform=values.get("online_platform"),
            ),
            flags=FlagsInput(
                is_online=bool(values.get("is_online")),
                is_domestic_abuse=bool(values.get("is_domestic_abuse")),
                is_asb_related=bool(values.get("is_asb_related")),
                is_alcohol_drug_related=bool(values.get("is_alcohol_drug_related")),
            ),
            strands=values.get("strands") or (),
            offences=values.get("offences") or (),
            outcome=values.get("outcome"),
        )
