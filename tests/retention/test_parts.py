"""A part of a record with a line of its own in the schedule (evidence files, risk, care,
conferences) goes before the record: from closed records reported the line's months ago, unless a
legal hold or open work keeps the record. The record itself, and its other parts, stay."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import give_outcome
from tests.intake.factories import submit
from tests.reads import decrypt
from tests.risk.factories import high_answers
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.models import NARRATIVE_COLUMN, Record
from umbrella.cases.services import record_change_status
from umbrella.intake.answers import EvidenceFile
from umbrella.intake.models import Evidence
from umbrella.intake.services import report_accept
from umbrella.retention.models import DisposalEntry
from umbrella.retention.services import legal_hold_lift, legal_hold_place, parts_dispose, rule_set
from umbrella.risk.models import RiskAssessment
from umbrella.risk.services import assessment_create

PNG = b"\x89PNG\r\n\x1a\n" + b"PIXELS" * 10


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> Path:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


def crime_with_evidence(world: World, *, years_ago: int, close: bool = True) -> Record:
    (report,) = submit(evidence=[EvidenceFile("photo.png", "image/png", PNG)])
    record = report_accept(actor=world.officer, report=report, kind="hate_crime", borough_code="E09000033")
    assessment_create(actor=world.officer, record=record, answers=high_answers())
    if close:
        give_outcome(record, actor=world.officer)
        record = record_change_status(actor=world.officer, record=record, status="closed", reason="Charged and convicted")
    Record.objects.filter(pk=record.pk).update(reported_at=timezone.now() - timedelta(days=366 * years_ago))
    return record


def test_evidence_files_go_two_years_after_the_report_and_the_record_stays(
        world: World, _evidence_root: Path, django_capture_on_commit_callbacks: Any) -> None:
    old, recent = crime_with_evidence(world, years_ago=3), crime_with_evidence(world, years_ago=1)
    still_open = crime_with_evidence(world, years_ago=3, close=False)
    held = crime_with_evidence(world, years_ago=3)
    hold = legal_hold_place(actor=world.supervisor, record=held, reason="Civil claim against the force")
    today = timezone.localdate()
    assert parts_dispose(actor=None, today=today) == 0  # no line for a part: each goes with its record
    rule_set(actor=world.system_admin, record_kind="evidence", organisation_kind="", review_after_months=24,
             basis="The force's evidence policy", verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert parts_dispose(actor=None, today=today) == 1

    assert not Evidence.objects.filter(report__record=old).exists()
    for kept in (recent, still_open, held):
        assert Evidence.objects.filter(report__record=kept).count() == 1
    assert len(list(_evidence_root.rglob("*.*"))) == 3
    removal = DisposalEntry.objects.get()  # the register's line: the part, by the daily run
    assert (removal.record, removal.part, removal.removed, removal.disposed_by, removal.review) == (
        old, "evidence", {"intake.evidence": 1}, None, None)
    old.refresh_from_db()
    assert old.disposed_at is None and decrypt(old.narrative, column=NARRATIVE_COLUMN)  # the record stays
    assert RiskAssessment.objects.get(record=old).answers  # and its other parts
    assert parts_dispose(actor=None, today=today) == 0  # done once
    legal_hold_lift(actor=world.supervisor, hold=hold)
    assert parts_dispose(actor=None, today=today) == 1  # the hold lifted: the held record's files go too
    assert audit_chain_verify().ok

    client = Client()
    client.force_login(world.supervisor)
    page = client.get(f"/records/{old.pk}/").content.decode()
    assert "Evidence files removed on" in page
    register = client.get("/retention/register/").content.decode().split("<tbody", 1)[1]
    assert old.reference in register and "Evidence files" in register and "The daily retention run" in register


def test_a_risk_line_empties_the_assessments_and_the_record_page_still_reads(world: World) -> None:
    record = crime_with_evidence(world, years_ago=3)
    rule_set(actor=world.system_admin, record_kind="risk", organisation_kind="police_force", review_after_months=12,
             basis="The force's risk policy", verified=True)
    out = StringIO()
    call_command("retention_review", "--today", f"{timezone.localdate():%Y-%m-%d}", stdout=out)
    assert "1 part of closed records removed under lines of their own." in out.getvalue()
    assert RiskAssessment.objects.get(record=record).answers == ""
    assert Evidence.objects.filter(report__record=record).count() == 1  # no evidence line: kept
    assert parts_dispose(actor=None, today=timezone.localdate()) == 0  # nothing left in the part
    # Reopened, assessed again and closed: the new assessment goes at the next run, on the same register line.
    record = record_change_status(actor=world.officer, record=record, status="under_investigation", reason="New evidence")
    assessment_create(actor=world.officer, record=record, answers=high_answers())
    record = record_change_status(actor=world.officer, record=record, status="closed", reason="No further action")
    assert parts_dispose(actor=None, today=timezone.localdate()) == 1
    assert set(RiskAssessment.objects.filter(record=record).values_list("answers", flat=True)) == {""}
    assert DisposalEntry.objects.filter(record=record, part="risk").count() == 1
    client = Client()
    client.force_login(world.supervisor)
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200 and "Risk assessments and plans removed on" in response.content.decode()


def test_a_line_for_a_part_names_no_outcome_or_offences(world: World) -> None:
    with pytest.raises(ValidationError, match="cannot name an outcome or offences"):
        rule_set(actor=world.system_admin, record_kind="care", organisation_kind="", review_after_months=3,
                 basis="Policy", verified=True, outcome_group="charged")
