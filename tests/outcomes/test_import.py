"""`umbrella import outcomes`: charging decisions and court results from a file, matched to crimes
by reference, through the pages' checks, all or nothing, and idempotent."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.conftest import World
from tests.factories import code, make_record
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record
from umbrella.outcomes.models import ChargingDecision, CourtResult
from umbrella.outcomes.services import outcome_record


@pytest.fixture
def crimes(world: World) -> list[Record]:
    code("outcome_group", "charged_summonsed", "Charged or summonsed")
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    code("offence", "8M", "Harassment")
    records = []
    for _ in range(2):
        record = make_record(actor=world.officer, days_ago=20)
        outcome_record(actor=world.officer, record=record, outcome_code="1", suspect_identified=True,
                       decided_on=timezone.localdate() - timedelta(days=10))
        records.append(record)
    return records


def write(tmp_path: Path, text: str, name: str = "results.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_outcomes", *args, stdout=out, stderr=out)
    return out.getvalue()


def stored() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    return (list(ChargingDecision.objects.order_by("pk").values_list()),
            list(CourtResult.objects.order_by("pk").values_list()))


def test_a_file_of_charges_and_results_is_recorded_once(world: World, crimes: list[Record], tmp_path: Path) -> None:
    day = (timezone.localdate() - timedelta(days=5)).isoformat()
    later = (timezone.localdate() - timedelta(days=1)).isoformat()
    first, second = crimes
    path = write(tmp_path, (
        "reference,type,decided_on,decision,decided_by,result,offence,sentence,uplift_applied,uplift_announced\n"
        f"{first.reference},charging,{day},charge,cps,,,,,\n"
        f"{first.reference},court,{later},,,convicted,8M,12 weeks' custody,yes,yes\n"
        f"{second.reference},charging,{day},nfa_evidential,cps,,,,,\n"
    ))
    assert "Imported 3 rows: 2 charging decisions, 1 court result, 0 already recorded." in run(str(path), "--as", "officer")
    result = CourtResult.objects.get(record=first)
    assert (result.result, result.offence.code if result.offence else None, result.uplift_applied) == ("convicted", "8M", True)
    assert AuditEvent.objects.filter(action="record.court_result", record_id=first.pk).count() == 1
    assert AuditEvent.objects.filter(action="outcomes.import").count() == 1
    before = stored()
    assert "0 charging decisions, 0 court results, 3 already recorded" in run(str(path), "--as", "officer")
    assert stored() == before


def test_any_refused_row_saves_nothing_and_every_error_is_listed(world: World, crimes: list[Record],
                                                                 tmp_path: Path) -> None:
    day = (timezone.localdate() - timedelta(days=5)).isoformat()
    other_force_crime = make_record(actor=world.outsider)  # another force's crime
    first, second = crimes
    lines = [
        "reference,type,decided_on,decision,decided_by,result,offence,sentence,uplift_applied,uplift_announced",
        f"{first.reference},charging,{day},charge,cps,,,,,",          # fine on its own
        f"{second.reference},court,{day},,,convicted,8M,,no,no",      # no charge yet
        f"{first.reference},court,31/02/2026,,,convicted,8M,,no,no",  # not a date
        f"{first.reference},sentencing,{day},,,,,,,",                 # unknown type
        f"NO-SUCH-REF,charging,{day},charge,cps,,,,,",                # unknown reference
        f"{first.reference},court,{day},,,acquitted,,,maybe,no",      # not yes or no
    ]
    lines.append(f"{other_force_crime.reference},charging,{day},charge,cps,,,,,")
    path = write(tmp_path, "\n".join(lines) + "\n")
    before = stored()
    events = AuditEvent.objects.count()
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_outcomes", str(path), "--as", "officer", stdout=out, stderr=out)
    text = out.getvalue()
    assert "Row 3, column 'result': Record the charge first" in text
    assert "Row 4, column 'decided_on': '31/02/2026' is not a date" in text
    assert "Row 5, column 'type': Enter charging or court, not 'sentencing'" in text
    assert "Row 6, column 'reference': No crime you can see has the reference 'NO-SUCH-REF'" in text
    assert "Row 7, column 'uplift_applied': Enter yes or no, not 'maybe'" in text
    assert f"Row 8, column 'reference': No crime you can see has the reference '{other_force_crime.reference}'" in text
    assert "Row 2" not in text
    assert stored() == before
    assert AuditEvent.objects.count() == events


def test_a_crime_the_importer_may_not_see_reads_as_one_that_does_not_exist(world: World, crimes: list[Record],
                                                                           tmp_path: Path) -> None:
    hidden = make_record(actor=world.caseworker)  # the centre's own record: the police may not see it
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    path = write(tmp_path, f"reference,type,decided_on,decision,decided_by\n{hidden.reference},charging,{day},charge,cps\n")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_outcomes", str(path), "--as", "officer", stdout=out, stderr=out)
    assert f"No crime you can see has the reference '{hidden.reference}'" in out.getvalue()


def test_a_mapping_renames_columns_translates_words_and_reads_other_dates(world: World, crimes: list[Record],
                                                                         tmp_path: Path) -> None:
    first, _ = crimes
    day = timezone.localdate() - timedelta(days=5)
    mapping = write(tmp_path, (
        '[columns]\nreference = "URN"\ndecided_on = "Decision date"\ndecision = "Outcome"\n'
        '[defaults]\ntype = "charging"\ndecided_by = "cps"\n'
        '[formats]\ndecided_on = ["%d/%m/%Y"]\n'
        '[values.decision]\n"Charged" = "charge"\n'
    ), name="cps.toml")
    path = write(tmp_path, f"URN,Decision date,Outcome\n{first.reference},{day:%d/%m/%Y},CHARGED\n")
    assert "1 charging decision" in run(str(path), "--as", "officer", "--mapping", str(mapping))
    decision = ChargingDecision.objects.get(record=first)
    assert (decision.decision, decision.decided_by, decision.decided_on) == ("charge", "cps", day)


def test_a_dry_run_checks_everything_and_saves_nothing(world: World, crimes: list[Record], tmp_path: Path) -> None:
    day = (timezone.localdate() - timedelta(days=5)).isoformat()
    path = write(tmp_path, f"reference,type,decided_on,decision,decided_by\n{crimes[0].reference},charging,{day},charge,cps\n")
    assert "Dry run: 1 rows: 1 charging decision" in run(str(path), "--as", "officer", "--dry-run")
    assert not ChargingDecision.objects.exists()


def test_a_file_without_the_columns_or_a_bad_mapping_is_refused_plainly(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, "URN,When\nX,2026-01-01\n")
    with pytest.raises(CommandError, match="The file has no column 'reference', 'type', 'decided_on'"):
        run(str(path), "--as", "officer")
    mapping = write(tmp_path, "[columns]\nverdict = \"Verdict\"\n", name="bad.toml")
    with pytest.raises(CommandError, match=r"\[columns\] names columns Umbrella does not know: verdict"):
        run(str(path), "--as", "officer", "--mapping", str(mapping))
    with pytest.raises(CommandError, match="role cannot record"):
        run(str(path), "--as", "analyst")
