"""Real exports read with a mapping alone: per-strand yes/no columns, several values in a cell,
strict times, numeric column names, unknown list items left out, and every error written out."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management.base import CommandError

from tests.imports.conftest import write_csv
from umbrella.cases.models import Record
from umbrella.imports.mapping import MappingError, load_mapping
from umbrella.imports.rows import CodeBook, RowError, RowParser

pytestmark = pytest.mark.django_db

COLUMNS = (
    "Occurrence number", "Date reported", "Time reported", "Date committed", "Borough", "Location", "Offence code",
    "Race", "Religion", "Sexual orientation", "Disability", "Transgender", "Misogyny", "Alternative subculture",
    "Online", "Summary", "Officer notes",
)
NO_STRANDS = {"Race": "No", "Religion": "None", "Sexual orientation": "N/A", "Disability": "", "Transgender": "NO",
              "Misogyny": "no", "Alternative subculture": ""}


def export_row(number: int, **overrides: str) -> dict[str, str]:
    row = {
        "Occurrence number": f"01/{number:05d}/26", "Date reported": "03/12/2026", "Time reported": "0945",
        "Date committed": "02/12/2026", "Borough": "Hackney", "Location": "Outside the library",
        "Offence code": "9B", **NO_STRANDS, "Race": "Yes", "Online": "No",
        "Summary": f"The victim was racially abused at the bus stop ({number}).", "Officer notes": "",
    }
    row.update(overrides)
    return row


@pytest.fixture
def export_csv(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
        return write_csv(tmp_path / "hate_crimes.csv", columns, rows)

    return make


def test_the_example_mapping_imports_a_per_strand_export_without_preprocessing(
    world: Any, seeded: None, export_csv: Callable[..., Path], run_import: Any
) -> None:
    rows = [
        export_row(1),  # race only; the others say No, None, N/A, blank
        export_row(2, Race="Y", Religion="YES", **{"Officer notes": "Victim wearing a hijab."}),  # compound hate
        export_row(3, Race="No", **{"Sexual orientation": "yes", "Transgender": "True", "Online": "yes"}),
        export_row(4, **{"Offence code": "XYZ-LOCAL-7"}),  # a local code: offences left empty
        export_row(5, Race="No", Misogyny="Yes", **{"Time reported": "2310"}),
    ]
    out, _ = run_import(export_csv(rows), mapping="per_strand_columns")

    assert "5 new" in out
    by_number = {r.source_reference: r for r in Record.objects.prefetch_related("strands__strand", "offences__offence")}

    def strands(number: int) -> set[str]:
        return {s.strand.code for s in by_number[f"01/{number:05d}/26"].strands.all()}

    assert strands(1) == {"race"}
    assert strands(2) == {"race", "religion"}
    assert strands(3) == {"sexual_orientation", "transgender"} and by_number["01/00003/26"].is_online
    assert not by_number["01/00004/26"].offences.exists()
    assert {o.offence.code for o in by_number["01/00001/26"].offences.all()} == {"9B"}
    assert strands(5) == {"sex_misogyny"}
    reported = by_number["01/00005/26"].reported_at.astimezone()
    assert (reported.day, reported.month, reported.hour, reported.minute) == (3, 12, 23, 10)
    assert by_number["01/00001/26"].borough.code == "E09000012"


def test_an_unpadded_time_is_refused_not_misread_and_every_error_is_written_out(
    world: Any, seeded: None, export_csv: Callable[..., Path], run_import: Any, tmp_path: Path
) -> None:
    rows = [export_row(n, **{"Time reported": "45"}) for n in range(1, 61)]
    rows.append(export_row(61, Race="No"))  # no strand at all
    errors_out = tmp_path / "errors.csv"

    with pytest.raises(CommandError, match="61 errors in 61 rows"):
        run_import(export_csv(rows), "--errors-out", str(errors_out), mapping="per_strand_columns")

    shown = run_import.last_stderr
    assert "Row 2, column Time reported: “45” is not a time written as four digits, as 0945." in shown
    assert "… and 11 more errors not shown." in shown and f"Every error (61) is in {errors_out}" in shown
    with errors_out.open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == 61
    assert written[0] == {"row": "2", "column": "Time reported", "error": "“45” is not a time written as four digits, as 0945."}
    assert written[-1]["row"] == "62" and written[-1]["column"].startswith("Race, Religion")
    assert Record.objects.count() == 0


def test_a_clean_run_leaves_no_errors_file(
    world: Any, seeded: None, export_csv: Callable[..., Path], run_import: Any, tmp_path: Path
) -> None:
    errors_out = tmp_path / "errors.csv"
    errors_out.write_text("row,column,error\n2,Old,From an earlier run\n", encoding="utf-8")
    run_import(export_csv([export_row(1)]), "--errors-out", str(errors_out), mapping="per_strand_columns")
    assert not errors_out.exists()


def _mapping(tmp_path: Path, fields: str) -> Any:
    path = tmp_path / "m.toml"
    path.write_text(
        '[source]\nsystem = "Test"\nreference_column = "Ref"\n'
        '[fields.kind]\nvalue = "hate_crime"\n[fields.reported_at]\ncolumn = "When"\n' + fields,
        encoding="utf-8",
    )
    return load_mapping(path)


def _parse(mapping: Any, **cells: str) -> Any:
    return RowParser(mapping, CodeBook()).parse(2, {"Ref": "R1", "When": "2026-12-03T09:00", **cells})


def test_several_values_in_one_cell_with_the_mappings_separator_and_duplicates_merge(
    seeded: None, tmp_path: Path
) -> None:
    mapping = _mapping(tmp_path, (
        '[fields.borough]\nvalue = "E09000012"\n[fields.narrative]\nvalue = "Abuse."\n'
        '[fields.strands]\ncolumn = "Hate types"\nitems_separator = ","\n'
        'map = { "Racial" = "race", "Ethnicity" = "race:anti_black", "Faith" = "religion", "None" = "" }\n'
    ))
    parsed = _parse(mapping, **{"Hate types": "Racial, Faith, Ethnicity, None"})
    assert [(s.strand.code, s.sub_category.code if s.sub_category else "") for s in parsed.strands] == [
        ("race", "anti_black"), ("religion", "")]  # the same strand twice: one, with its sub-category


def test_the_same_strand_perceived_by_two_people_is_still_refused(seeded: None, tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, '[fields.strands]\ncolumn = "S"\n[fields.borough]\nvalue = "E09000012"\n'
                                 '[fields.narrative]\nvalue = "Abuse."\n')
    errors = _parse(mapping, S="race::victim; race::witness")
    assert errors == [RowError(2, "S", "race::witness is listed twice.")]


def test_an_item_with_no_code_in_one_of_several_columns_names_that_column(seeded: None, tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, (
        '[fields.borough]\nvalue = "E09000012"\n[fields.narrative]\nvalue = "Abuse."\n'
        '[[fields.strands.from]]\ncolumn = "Race"\nmap = { "yes" = "race" }\notherwise = ""\n'
        '[[fields.strands.from]]\ncolumn = "Other"\n'
    ))
    assert _parse(mapping, Race="yes", Other="astrology") == [
        RowError(2, "Other", "“astrology” is not a current strand code.")]


def test_numeric_column_names_work_in_parts(seeded: None, tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, (
        '[fields.borough]\nvalue = "E09000012"\n[fields.strands]\nvalue = "race"\n'
        '[fields.narrative]\nparts = ["{2021}", "Notes: {7}"]\nseparator = ". "\n'
    ))
    assert _parse(mapping, **{"2021": "Racist abuse at the bus stop", "7": "CCTV seized"}).narrative == (
        "Racist abuse at the bus stop. Notes: CCTV seized")


@pytest.mark.parametrize(("time_format", "value", "expected"), [
    ("HH:MM", "9:05", (9, 5)), ("HH:MM", "23:59:00", (23, 59)), ("HHMM", "0905", (9, 5)), ("minutes", "545", (9, 5)),
])
def test_times_in_their_own_column(seeded: None, tmp_path: Path, time_format: str, value: str,
                                   expected: tuple[int, int]) -> None:
    mapping = _mapping(tmp_path, (
        f'time_column = "At"\ntime_format = "{time_format}"\n'
        '[fields.borough]\nvalue = "E09000012"\n[fields.strands]\nvalue = "race"\n[fields.narrative]\nvalue = "Abuse."\n'
    ))
    reported = _parse(mapping, When="2026-12-03", At=value).reported_at
    assert (reported.hour, reported.minute) == expected


@pytest.mark.parametrize(("time_format", "value"), [
    ("HHMM", "45"), ("HHMM", "945"), ("HHMM", "2460"), ("HH:MM", "0945"), ("minutes", "1440"), ("minutes", "9:45"),
])
def test_a_time_that_could_be_misread_is_refused(seeded: None, tmp_path: Path, time_format: str, value: str) -> None:
    mapping = _mapping(tmp_path, (
        f'time_column = "At"\ntime_format = "{time_format}"\n'
        '[fields.borough]\nvalue = "E09000012"\n[fields.strands]\nvalue = "race"\n[fields.narrative]\nvalue = "Abuse."\n'
    ))
    errors = _parse(mapping, When="2026-12-03", At=value)
    assert isinstance(errors, list) and errors[0].column == "At"


def test_a_run_together_date_time_format_refuses_an_unpadded_value(seeded: None, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[source]\nsystem = "Test"\nreference_column = "Ref"\n[fields.kind]\nvalue = "hate_crime"\n'
        '[fields.reported_at]\ncolumn = "When"\nformats = ["%Y%m%d%H%M"]\n'
        '[fields.borough]\nvalue = "E09000012"\n[fields.strands]\nvalue = "race"\n[fields.narrative]\nvalue = "A."\n',
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    assert _parse(mapping, When="202612030945").reported_at.minute == 45
    assert isinstance(_parse(mapping, When="2026120345"), list)  # would have been 04:05 on 3 Dec… or worse


@pytest.mark.parametrize(("fields", "message"), [
    ('[fields.narrative]\n[[fields.narrative.from]]\ncolumn = "A"\n', "only a list field"),
    ('[fields.strands]\ncolumn = "S"\n[[fields.strands.from]]\ncolumn = "A"\n', "exactly one of column, value, parts or from"),
    ('[[fields.strands.from]]\nmap = { "y" = "race" }\n', "name the column"),
    ('[[fields.strands.from]]\ncolumn = "A"\nlookup = "label"\n', "unknown setting 'lookup'"),
    ('[fields.narrative]\ncolumn = "N"\ntime_column = "T"\n', "only for a date and time field"),
])
def test_mapping_mistakes_are_named(tmp_path: Path, fields: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        _mapping(tmp_path, fields)


def test_places_outside_the_listed_boroughs_are_kept_as_given(
    world: Any, seeded: None, export_csv: Callable[..., Path], run_import: Any, client: Any
) -> None:
    rows = [export_row(1, Borough="Birmingham"), export_row(2, Borough="e08000025"), export_row(3)]
    run_import(export_csv(rows), mapping="per_strand_columns")
    by_number = {r.source_reference: r for r in Record.objects.all()}
    named, coded, london = by_number["01/00001/26"], by_number["01/00002/26"], by_number["01/00003/26"]
    assert (named.borough, named.area_name, named.area_code) == (None, "Birmingham", "")
    assert (coded.borough, coded.area_name, coded.area_code) == (None, "", "E08000025")
    assert london.borough.label == "Hackney" and not london.area_name and not london.area_code

    client.force_login(world.supervisor)
    page = client.get(f"/records/{named.pk}/").content.decode()
    assert "Birmingham, outside the listed boroughs" in page


def test_keep_is_only_for_the_borough(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="keep"):
        _mapping(tmp_path, '[fields.location_type]\ncolumn = "Place"\nunknown = "keep"\n')
