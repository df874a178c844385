"""The data.police.uk street-level mapping: an all-crime feed imported as "other crime" records."""

from __future__ import annotations

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError

from tests.imports.conftest import POLICE_UK_COLUMNS, POLICE_UK_DIR, write_csv
from tests.reads import decrypt, place_of
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.models import NARRATIVE_COLUMN, Record, RecordKind
from umbrella.imports.mapping import load_mapping
from umbrella.imports.rows import RowParser

pytestmark = pytest.mark.usefixtures("seeded")
FORCE = "City of London Police"


def police_row(crime_id: str = "", **overrides: str) -> dict[str, str]:
    row = {
        "Crime ID": crime_id,
        "Month": "2018-10",
        "Reported by": FORCE,
        "Falls within": FORCE,
        "Longitude": "-0.111497",
        "Latitude": "51.518226",
        "Location": "On or near Pedestrian Subway",
        "LSOA code": "E01000914",
        "LSOA name": "Camden 028B",
        "Crime type": "Burglary",
        "Last outcome category": "Offender given community sentence",
        "Context": "",
    }
    row.update(overrides)
    return row


ASB = {"Crime type": "Anti-social behaviour", "Last outcome category": "", "LSOA name": "City of London 001A",
       "LSOA code": "E01000001", "Location": "On or near Carthusian Street"}


@pytest.fixture
def police_file(tmp_path):
    rows = [
        police_row("356f6e3b1e35"),
        police_row(**ASB),
        police_row(**ASB),  # the same again: a second incident, not a duplicate
        police_row("9cf97eaca02d", Longitude="", Latitude="", Location="No Location", **{"LSOA code": "", "LSOA name": "", "Crime type": "Drugs"}),
        police_row("aa11", **{"LSOA name": "Hertsmere 001A", "LSOA code": "E01023670"}),
        police_row("356f6e3b1e35", Location="On or near Fetter Lane"),  # police.uk repeats some IDs
    ]
    return write_csv(tmp_path / "2018-10-city-of-london-street.csv", POLICE_UK_COLUMNS, rows)


def test_street_level_rows_become_other_crime_records(world, police_file, run_import):
    out, _ = run_import(police_file, mapping="police_uk_street")

    assert "5 new, 0 already imported, 1 skipped as repeats" in out
    records = Record.objects.filter(organisation=world.force, source_system="data.police.uk street-level crime")
    assert records.count() == 5
    assert set(records.values_list("kind", flat=True)) == {RecordKind.OTHER_CRIME}
    burglary = records.get(source_reference="356f6e3b1e35")
    assert place_of(burglary).description == "On or near Pedestrian Subway"
    assert burglary.borough.label == "Camden" and burglary.lsoa_code == "E01000914"
    assert (place_of(burglary).latitude, place_of(burglary).longitude) == (51.518226, -0.111497)
    month_start = datetime(2018, 10, 1, tzinfo=ZoneInfo("Europe/London"))
    assert burglary.reported_at == month_start == burglary.occurred_from
    assert decrypt(burglary.narrative, column=NARRATIVE_COLUMN) == (
        "Burglary. Last outcome: Offender given community sentence. Reported by City of London Police"
    )
    assert not burglary.is_asb_related
    asb = records.filter(source_reference__startswith="derived-")
    assert asb.count() == 2 and all(r.is_asb_related for r in asb)
    assert asb[0].borough.label == "City of London"
    assert records.get(source_reference="9cf97eaca02d").borough is None
    assert records.get(source_reference="aa11").borough is None  # outside London
    # The last outcome category becomes the crime's outcome, in data.police.uk's words, counted
    # under its outcome group; a row without a category (the ASB ones) has none.
    from umbrella.outcomes.models import InvestigationOutcome

    outcome = InvestigationOutcome.objects.select_related("outcome").get(record=burglary)
    assert (outcome.outcome.scheme, outcome.outcome.label) == ("police_uk_outcome", "Offender given community sentence")
    assert outcome.outcome.attributes["group"] == "charged_summonsed" and outcome.suspect_identified
    assert outcome.decided_on == month_start.date()
    assert not InvestigationOutcome.objects.filter(record__in=asb).exists()
    assert audit_chain_verify().ok


def test_derived_references_are_stable_so_re_import_creates_nothing(world, police_file, run_import):
    run_import(police_file, mapping="police_uk_street")

    out, _ = run_import(police_file, mapping="police_uk_street")

    assert "0 new, 5 already imported" in out
    assert Record.objects.count() == 5


def test_derived_references_differ_for_identical_rows_and_repeat_across_parses(world):
    mapping = load_mapping("police_uk_street")
    first, second = RowParser(mapping), RowParser(mapping)
    refs_a = [first.parse(n, police_row(**ASB)).source_reference for n in (2, 3)]
    refs_b = [second.parse(n, police_row(**ASB)).source_reference for n in (2, 3)]
    assert refs_a == refs_b
    assert refs_a[0] != refs_a[1]


def test_a_bad_month_names_the_row_and_column(world, tmp_path, run_import):
    path = write_csv(tmp_path / "bad.csv", POLICE_UK_COLUMNS,
                     [police_row("a1"), police_row("a2", Month="2018-13"), police_row("a3", Latitude="north")])

    with pytest.raises(CommandError, match="2 errors in 3 rows"):
        run_import(path, mapping="police_uk_street")

    assert "Row 3, column Month: “2018-13” is not a date and time in the format %Y-%m." in run_import.last_stderr
    assert "Row 4, column Latitude: “north” is not a number." in run_import.last_stderr
    assert Record.objects.count() == 0


@pytest.mark.skipif(not POLICE_UK_DIR.exists(), reason=f"real data.police.uk files absent ({POLICE_UK_DIR})")
@pytest.mark.parametrize("name", ["2017-01-city-of-london-street.csv", "2018-10-city-of-london-street.csv"])
def test_real_police_uk_files_import_and_re_import_cleanly(world, run_import, name):
    path = POLICE_UK_DIR / name
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    with_id = [row["Crime ID"] for row in rows if row["Crime ID"]]
    expected = len(set(with_id)) + sum(1 for row in rows if not row["Crime ID"])

    out, _ = run_import(path, mapping="police_uk_street")

    assert f"Imported {len(rows)} rows" in out and f"{expected} new" in out
    assert Record.objects.filter(kind=RecordKind.OTHER_CRIME).count() == expected
    # Every imported row with a category has its outcome, in the category's own words.
    from umbrella.outcomes.models import InvestigationOutcome

    first_rows = {}
    for row in rows:
        key = row["Crime ID"]
        if key and key not in first_rows:
            first_rows[key] = row["Last outcome category"]
    labelled = dict(InvestigationOutcome.objects.values_list("record__source_reference", "outcome__label"))
    assert labelled == {key: category for key, category in first_rows.items() if category}
    assert Record.objects.filter(borough__isnull=False).exists()
    out, _ = run_import(path, mapping="police_uk_street")
    assert f"0 new, {expected} already imported" in out
    assert audit_chain_verify().ok


def test_a_category_the_list_lacks_stops_the_import_naming_row_and_column(world, tmp_path, run_import):
    path = write_csv(tmp_path / "new-category.csv", POLICE_UK_COLUMNS,
                     [police_row("b1"), police_row("b2", **{"Last outcome category": "Offender given a new disposal"})])

    with pytest.raises(CommandError, match="1 error in 2 rows"):
        run_import(path, mapping="police_uk_street")

    assert "Row 3, column Last outcome category" in run_import.last_stderr
    assert Record.objects.count() == 0
