"""Reports that never became a record (closed as not a hate report, or merged into another) lose
what they hold about anyone once their line of the schedule says so: answers, the reason they were
closed, notes and evidence files; the reference, status and dates stay, and a report that became a
record follows the record's own review."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.intake.factories import VICTIM_NAME, force_report
from tests.reads import decrypt
from umbrella.audit.models import AuditEvent
from umbrella.audit.verify import audit_chain_verify
from umbrella.intake.answers import EvidenceFile
from umbrella.intake.models import ANSWERS_COLUMN, CaseNote, Evidence, Report
from umbrella.intake.services import case_note_add, report_accept, report_close, report_merge
from umbrella.retention.services import closed_reports_dispose, rule_set

PNG = b"\x89PNG\r\n\x1a\n" + b"PIXELS" * 10


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> Path:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


def decided(report: Report, *, days_ago: int) -> None:
    Report.objects.filter(pk=report.pk).update(decided_at=timezone.now() - timedelta(days=days_ago))


def test_a_closed_report_is_emptied_a_year_after_it_was_closed(
        world: World, _evidence_root: Path, django_capture_on_commit_callbacks: Any) -> None:
    closed = force_report(world, evidence=[EvidenceFile("photo.png", "image/png", PNG)])
    case_note_add(actor=world.officer, text=f"Rang {VICTIM_NAME} back", report=closed)
    report_close(actor=world.officer, report=closed, reason=f"{VICTIM_NAME}'s neighbour dispute, no hostility")
    merged, into = force_report(world), force_report(world)
    report_merge(actor=world.officer, report=merged, into_reference=into.reference)
    recent = force_report(world)
    report_close(actor=world.officer, report=recent, reason="Not hate")
    accepted, still_open = force_report(world), force_report(world)
    report_accept(actor=world.officer, report=accepted, kind="hate_crime")
    for report in (closed, merged, accepted, still_open):
        decided(report, days_ago=400)
    decided(recent, days_ago=300)
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the removal commits
        assert closed_reports_dispose(actor=None, today=today) == 2  # the default line: twelve months

    for report in (closed, merged):
        report.refresh_from_db()
        assert report.disposed_at is not None and report.answers == "" and report.close_reason == ""
        assert report.reference and report.status in ("closed", "merged")  # the history still counts it
    assert decrypt(Report.objects.get(pk=recent.pk).answers, column=ANSWERS_COLUMN)  # eleven months: kept
    for report in (accepted, still_open, into):  # a record's report follows the record; open ones wait
        assert Report.objects.get(pk=report.pk).disposed_at is None
    assert not Evidence.objects.filter(report=closed).exists() and not any(_evidence_root.rglob("*.*"))
    assert CaseNote.objects.get(report=closed).text == ""
    event = AuditEvent.objects.filter(action="intake.reports.closed_dispose").get()
    assert event.changes["reports"] == 2 and event.changes["evidence_files"] == 1 and VICTIM_NAME not in str(event.changes)
    assert closed_reports_dispose(actor=None, today=today) == 0  # done once
    assert audit_chain_verify().ok

    client = Client()
    client.force_login(world.officer)
    page = client.get(f"/intake/reports/{closed.pk}/").content.decode()
    assert "was removed on" in page and VICTIM_NAME not in page


def test_a_centres_own_line_for_reports_comes_before_the_line_for_any_organisation(world: World) -> None:
    from tests.intake.factories import centre_report

    at_centre, at_force = centre_report(world), force_report(world)
    report_close(actor=world.caseworker, report=at_centre, reason="Not hate")
    report_close(actor=world.officer, report=at_force, reason="Not hate")
    decided(at_centre, days_ago=100)
    decided(at_force, days_ago=100)
    rule_set(actor=world.system_admin, record_kind="report", organisation_kind="third_party_centre", review_after_months=3,
             basis="The centre's own policy", verified=True)
    assert closed_reports_dispose(actor=None, today=timezone.localdate()) == 1
    assert Report.objects.get(pk=at_centre.pk).disposed_at is not None
    assert Report.objects.get(pk=at_force.pk).disposed_at is None


def test_a_line_for_closed_reports_names_no_outcome_or_offences(world: World) -> None:
    with pytest.raises(ValidationError, match="cannot name an outcome or offences"):
        rule_set(actor=world.system_admin, record_kind="report", organisation_kind="", review_after_months=3,
                 basis="Policy", verified=True, offence_group="Group 1", offences=["8M"])
