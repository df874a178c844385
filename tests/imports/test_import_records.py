from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from tests.factories import closure_reasons
from tests.imports.conftest import counts, umbrella_row
from tests.reads import decrypt, place_of
from umbrella.audit.models import AuditEvent
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases import actions as record_actions
from umbrella.cases.models import NARRATIVE_COLUMN, Record
from umbrella.imports import actions as import_actions

pytestmark = pytest.mark.usefixtures("seeded")


def test_a_good_file_imports_every_row_encrypted_and_audited(world, umbrella_csv, run_import):
    path = umbrella_csv([umbrella_row(n) for n in range(1, 31)])

    out, _ = run_import(path)

    assert "30 new, 0 already imported" in out
    records = Record.objects.filter(organisation=world.force, source_system="umbrella")
    assert records.count() == 30
    record = records.get(source_reference="SRC-2025-000007")
    assert record.created_by == world.supervisor
    assert record.reference.startswith("MPS-")
    assert record.borough.code == "E09000033"
    assert [(s.strand.code, s.sub_category.code, s.perceiver.code) for s in record.strands.all()] == [
        ("race", "anti_black", "victim")
    ]
    assert record.strands.get().is_monitored is True
    assert [(o.offence.code, o.is_aggravated) for o in record.offences.all()] == [("9B", False)]
    assert record.narrative.startswith("enc1:") and "racist" not in record.narrative
    assert decrypt(record.narrative, column=NARRATIVE_COLUMN) == "Man shouted racist abuse at the victim at stop 7."
    created = AuditEvent.objects.filter(action=record_actions.RECORD_CREATE, record_id=record.pk).get()
    assert created.actor == world.supervisor
    assert created.changes["source"] == {"system": "umbrella", "reference": "SRC-2025-000007"}
    assert "racist" not in str(created.changes)
    summary = AuditEvent.objects.get(action=import_actions.RECORDS_IMPORT)
    assert summary.changes["created"] == 30 and summary.changes["rows"] == 30
    assert audit_chain_verify().ok


def test_one_bad_row_among_many_imports_nothing_and_names_row_and_column(world, umbrella_csv, run_import):
    rows = [umbrella_row(n) for n in range(1, 60)]
    rows[41] = umbrella_row(42, **{"Reported at": "yesterday-ish"})  # spreadsheet row 43 (header is row 1)
    path = umbrella_csv(rows)
    before = counts()

    with pytest.raises(CommandError, match="1 error in 59 rows: nothing was imported"):
        run_import(path)

    assert "Row 43, column Reported at: “yesterday-ish” is not a date and time" in run_import.last_stderr
    assert counts() == before


def test_every_error_is_reported_with_a_capped_display(world, umbrella_csv, run_import):
    rows = [umbrella_row(n, **{"Borough code": "E09999999", "Strands": "race:antisemitic"}) for n in range(1, 61)]
    path = umbrella_csv(rows)

    with pytest.raises(CommandError, match="120 errors in 60 rows"):
        run_import(path)

    shown = run_import.last_stderr
    assert "Row 2, column Borough code: “E09999999” is not a current borough code." in shown
    assert "Row 2, column Strands: “antisemitic” is not a sub-category of race." in shown
    assert "… and 70 more errors not shown." in shown
    assert Record.objects.count() == 0


def test_rules_of_a_record_are_checked_per_row(world, umbrella_csv, run_import):
    rows = [
        umbrella_row(1, Narrative=""),
        umbrella_row(2, **{"Occurred from": "2025-03-05T10:00:00+00:00"}),  # after it was reported
        umbrella_row(3, Kind="Parking offence"),
        umbrella_row(4, Reference=""),
        umbrella_row(5, Reference="SRC-2025-000001"),
        umbrella_row(6, Status="Closed"),
        umbrella_row(7, Strands="race:anti_black:victim; race:anti_black:witness"),
        umbrella_row(8, Latitude="91", Online="maybe"),
        umbrella_row(9, **{"Kind": "Non-crime hate incident", "Status": "Closed", "Status reason": "Advice given"}),
        umbrella_row(10, **{"Kind": "Non-crime hate incident", "Status": "Closed", "Closure reason": "outcome_assigned"}),
    ]
    closure_reasons()
    # The export default fills a blank narrative; a draft-free mapping must still refuse "".
    path = umbrella_csv(rows)

    with pytest.raises(CommandError):
        run_import(path)

    shown = run_import.last_stderr
    assert "Row 3, column Reported at: When it was reported must be the same as or after when it happened." in shown
    assert "Row 4, column Kind: “Parking offence” is not a kind of record" in shown
    assert "Row 5, column Reference: Enter a source reference" in shown
    assert "Row 6, column Reference: Source reference SRC-2025-000001 is also on row 2." in shown
    assert "Row 7, column Status reason: Enter why the record was closed." in shown
    assert "Row 10, column Closure reason: Choose why the non-crime hate incident was closed." in shown
    assert "Row 11, column Closure reason: That reason is not for a non-crime hate incident: choose another from the list." in shown
    assert "Row 8, column Strands: race:anti_black:witness is listed twice." in shown
    assert "Row 9, column Latitude: Latitude must be between -90 and 90." in shown
    assert "Row 9, column Online: “maybe” is not yes or no." in shown
    assert "Row 2," not in shown  # a blank narrative takes the mapping's default
    assert Record.objects.count() == 0


def test_a_missing_column_is_reported_against_the_header(world, tmp_path, run_import):
    from tests.imports.conftest import write_csv

    path = write_csv(tmp_path / "short.csv", ["Reference", "Kind"], [{"Reference": "A1", "Kind": "Hate crime"}])

    with pytest.raises(CommandError, match=r"Row 1 \(the header\) lacks the columns .*Reported at"):
        run_import(path)


def test_dry_run_validates_and_writes_nothing(world, umbrella_csv, run_import):
    path = umbrella_csv([umbrella_row(n) for n in range(1, 11)])
    run_import(umbrella_csv([umbrella_row(n) for n in range(1, 4)], name="first.csv"))
    before = counts()

    out, _ = run_import(path, "--dry-run")

    assert "Dry run: 10 rows are valid; 7 new, 3 already imported" in out
    assert counts() == before


def test_re_importing_the_same_file_creates_nothing_new(world, umbrella_csv, run_import):
    path = umbrella_csv([umbrella_row(n) for n in range(1, 21)])
    run_import(path)
    before = counts()

    out, _ = run_import(path)

    assert "0 new, 20 already imported" in out
    assert counts()["records"] == before["records"] == 20
    assert counts()["strands"] == before["strands"]
    # Only the run's own summary event is added.
    assert AuditEvent.objects.filter(action=import_actions.RECORDS_IMPORT).count() == 2
    assert audit_chain_verify().ok


def test_batches_cover_every_row(world, umbrella_csv):
    from pathlib import Path

    from umbrella.imports.mapping import load_mapping
    from umbrella.imports.runner import import_file

    path: Path = umbrella_csv([umbrella_row(n) for n in range(1, 12)])
    result = import_file(path, mapping=load_mapping("umbrella_export"), organisation=world.force,
                         actor=world.supervisor, batch_size=4)
    assert result.created == 11
    assert len(set(Record.objects.values_list("reference", flat=True))) == 11


def test_formula_escaped_cells_are_read_back_without_the_apostrophe(world, umbrella_csv, run_import):
    path = umbrella_csv([umbrella_row(1, **{"Location description": "'=HYPERLINK(\"x\")", "Narrative": "'-- shouted"})])

    run_import(path)

    record = Record.objects.get()
    assert place_of(record).description == '=HYPERLINK("x")'
    assert decrypt(record.narrative, column=NARRATIVE_COLUMN) == "-- shouted"


@pytest.mark.parametrize("username", ["officer", "caseworker", "analyst", "org.admin"])
def test_only_importers_may_import(world, umbrella_csv, run_import, username):
    path = umbrella_csv([umbrella_row(1)])

    with pytest.raises(CommandError, match="role cannot import"):
        run_import(path, user=username)

    assert Record.objects.count() == 0


def test_an_importer_cannot_import_into_another_organisation(world, umbrella_csv, run_import):
    path = umbrella_csv([umbrella_row(1)])

    with pytest.raises(CommandError, match="only import into their own organisation"):
        run_import(path, "--organisation", world.centre.slug)


def test_a_system_administrator_must_name_the_organisation(world, umbrella_csv, run_import):
    path = umbrella_csv([umbrella_row(1)])
    with pytest.raises(CommandError, match="Give --organisation"):
        run_import(path, user="sysadmin")

    run_import(path, "--organisation", world.centre.slug, user="sysadmin")

    record = Record.objects.get()
    assert record.organisation == world.centre and record.reference.startswith("TUC-")
    assert record.team_id is None


def test_umbrella_import_records_runs_this_command():
    # execute_from_command_line turns the CommandError above into exit status 1; it also closes
    # database connections, so the tests call the command directly and check the wiring here.
    from umbrella.cli import _command_name

    assert _command_name(["import", "records", "f.csv", "--dry-run"]) == ("import_records", ["f.csv", "--dry-run"])


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"Strands": ""}, "Row 3, column Strands: Add at least one strand of hate"),
        ({"Borough code": ""}, "Row 3, column Borough code: Choose the borough where it happened"),
        ({"Occurred from": "1899-12-31T10:00:00Z", "Occurred to": ""}, "Row 3, column Occurred from: When it happened must be in 1900 or later"),
    ],
)
def test_a_hate_crime_breaking_the_record_rules_imports_nothing(world, umbrella_csv, run_import, changed, message):
    # The same rules as the pages and the API (cases.rules), named by row and column.
    rows = [umbrella_row(n) for n in range(1, 5)]
    rows[1] = umbrella_row(2, **changed)
    before = counts()

    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(umbrella_csv(rows))

    assert message in run_import.last_stderr
    assert counts() == before


def test_an_import_killed_part_way_still_shows_in_the_audit(world, umbrella_csv, monkeypatch):
    from umbrella.imports import runner
    from umbrella.imports.mapping import load_mapping

    path = umbrella_csv([umbrella_row(n) for n in range(1, 8)])
    real_batch = runner.records_import_batch
    batches = 0

    def killed_on_the_second_batch(**kwargs):  # type: ignore[no-untyped-def]
        nonlocal batches
        batches += 1
        if batches == 2:
            raise KeyboardInterrupt
        return real_batch(**kwargs)

    monkeypatch.setattr(runner, "records_import_batch", killed_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        runner.import_file(path, mapping=load_mapping("umbrella_export"), organisation=world.force,
                           actor=world.supervisor, batch_size=3)

    start = AuditEvent.objects.get(action=import_actions.RECORDS_IMPORT_START)
    run_id = start.changes["import_run"]
    assert start.changes["file"] == path.name and start.actor == world.supervisor
    assert not AuditEvent.objects.filter(action=import_actions.RECORDS_IMPORT).exists()  # it never finished
    made = AuditEvent.objects.filter(action=record_actions.RECORD_CREATE, changes__import_run=run_id)
    assert made.count() == Record.objects.filter(source_system="umbrella").count() == 3


def test_a_closed_crime_without_its_outcome_is_refused_by_row_and_column(world, umbrella_csv, run_import):
    """Closing a crime needs its outcome on every route: an import cannot carry one yet, so a
    police force's closed crime is refused, and the file imports nothing."""
    rows = [umbrella_row(1), umbrella_row(2, **{"Status": "Closed", "Status reason": "No further action"})]
    before = counts()
    with pytest.raises(CommandError, match="1 error in 2 rows: nothing was imported"):
        run_import(umbrella_csv(rows))
    assert "Row 3, column Status: A closed crime needs its outcome" in run_import.last_stderr
    assert counts() == before
