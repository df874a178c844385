"""Victims' Code timers: working days over bank holidays, key events (1 vs 5 working days),
contacts meeting updates, and the daily job."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import World
from tests.factories import give_outcome, make_record
from umbrella.care.models import ContactMethod, KeyEvent, Timer, TimerKind, TimerStatus, VictimCare
from umbrella.care.services import (
    victim_care_ensure,
    victim_care_set_eligibility,
    victim_code_event,
    victim_contact_record,
)
from umbrella.care.tasks import timers_run
from umbrella.cases.models import Record, RecordStatus
from umbrella.cases.services import record_change_status

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Maundy Thursday 2026: Good Friday (3 April) and Easter Monday (6 April) are bank holidays.
MAUNDY_THURSDAY = datetime(2026, 4, 2, 10, 0, tzinfo=LONDON)


def test_hate_crime_recorded_by_police_gets_referral_and_progress_timers(world: World) -> None:
    record = make_record(actor=world.officer)
    care = VictimCare.objects.get(record=record)
    assert care.victim is not None
    kinds = set(Timer.objects.filter(record=record).values_list("kind", flat=True))
    assert kinds == {TimerKind.REFERRAL, TimerKind.PROGRESS_UPDATE}


def test_centre_records_and_drafts_get_no_timers(world: World) -> None:
    make_record(actor=world.caseworker)
    make_record(actor=world.officer, status="draft")
    assert not Timer.objects.exists()


def test_referral_timer_counts_two_working_days_over_easter(world: World) -> None:
    record = make_record(actor=world.officer)
    VictimCare.objects.filter(record=record).delete()
    Timer.objects.filter(record=record).delete()
    Record.objects.filter(pk=record.pk).update(created_at=MAUNDY_THURSDAY)
    record.refresh_from_db()
    victim_care_ensure(record=record)
    timer = Timer.objects.get(record=record, kind=TimerKind.REFERRAL)
    assert timezone.localtime(timer.due_at) == datetime(2026, 4, 8, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(("enhanced", "due"), [(True, datetime(2026, 4, 7, 10, 0, tzinfo=LONDON)), (False, datetime(2026, 4, 13, 10, 0, tzinfo=LONDON))])
def test_key_event_update_due_in_1_working_day_enhanced_or_5_standard(world: World, enhanced: bool, due: datetime) -> None:
    record = make_record(actor=world.officer)
    victim_care_set_eligibility(actor=world.officer, record=record, most_serious_crime=enhanced,
                                persistently_targeted=False, vulnerable_or_intimidated=False, opted_out_of_referral=False)
    event = victim_code_event(actor=world.officer, record=record, event=KeyEvent.ARREST, occurred_at=MAUNDY_THURSDAY)
    timer = Timer.objects.get(key_event=event)
    assert timer.kind == TimerKind.KEY_EVENT_UPDATE
    assert timezone.localtime(timer.due_at) == due


def test_opting_out_cancels_the_referral_timer(world: World) -> None:
    record = make_record(actor=world.officer)
    victim_care_set_eligibility(actor=world.officer, record=record, most_serious_crime=False,
                                persistently_targeted=False, vulnerable_or_intimidated=False, opted_out_of_referral=True)
    assert Timer.objects.get(record=record, kind=TimerKind.REFERRAL).status == TimerStatus.CANCELLED


def test_contact_meets_the_update_timers_and_starts_the_next_progress_update(world: World) -> None:
    record = make_record(actor=world.officer)
    event = victim_code_event(actor=world.officer, record=record, event=KeyEvent.CHARGE, occurred_at=timezone.now())
    now = timezone.now()
    contact = victim_contact_record(actor=world.officer, record=record, method=ContactMethod.PHONE,
                                    summary="Told about the charge", contacted_at=now)
    update = Timer.objects.get(key_event=event)
    assert update.status == TimerStatus.MET and update.met_by_contact == contact
    progress = Timer.objects.filter(record=record, kind=TimerKind.PROGRESS_UPDATE)
    assert progress.filter(status=TimerStatus.MET).count() == 1
    upcoming = progress.get(status=TimerStatus.OPEN)
    assert upcoming.due_at == now + timedelta(days=28)
    # The referral to victim services is not met by a contact.
    assert Timer.objects.get(record=record, kind=TimerKind.REFERRAL).status == TimerStatus.OPEN
    assert "Told about the charge" not in contact.summary  # encrypted at rest


def test_daily_job_marks_missed_creates_progress_updates_and_cancels_closed(world: World) -> None:
    overdue_record = make_record(actor=world.officer)
    Timer.objects.filter(record=overdue_record, kind=TimerKind.REFERRAL).update(due_at=timezone.now() - timedelta(hours=1))
    fresh_record = make_record(actor=world.officer)
    Timer.objects.filter(record=fresh_record, kind=TimerKind.PROGRESS_UPDATE).delete()
    closed_record = make_record(actor=world.officer)
    give_outcome(closed_record, actor=world.officer)
    record_change_status(actor=world.officer, record=closed_record, status=RecordStatus.CLOSED, reason="No further action")
    assert not Timer.objects.filter(record=closed_record, status=TimerStatus.OPEN).exists()

    result = timers_run()
    assert result.missed == 1 and result.created == 1
    missed = Timer.objects.get(record=overdue_record, kind=TimerKind.REFERRAL)
    assert missed.status == TimerStatus.MISSED and missed.missed_at is not None
    created = Timer.objects.get(record=fresh_record, kind=TimerKind.PROGRESS_UPDATE)
    care = VictimCare.objects.get(record=fresh_record)
    assert created.status == TimerStatus.OPEN
    assert abs(created.due_at - (care.created_at + timedelta(days=28))) < timedelta(seconds=1)
    assert created.organisation_id == fresh_record.organisation_id and created.assignee_id == world.officer.pk
    assert not Timer.objects.filter(record=closed_record, kind=TimerKind.PROGRESS_UPDATE, status=TimerStatus.OPEN).exists()

    again = timers_run()
    assert (again.missed, again.created) == (0, 0)


def test_a_missed_update_can_still_be_met_late(world: World) -> None:
    record = make_record(actor=world.officer)
    Timer.objects.filter(record=record, kind=TimerKind.PROGRESS_UPDATE).update(due_at=timezone.now() - timedelta(days=1))
    timers_run()
    victim_contact_record(actor=world.officer, record=record, method=ContactMethod.LETTER, summary="Update",
                          contacted_at=timezone.now())
    late = Timer.objects.get(record=record, kind=TimerKind.PROGRESS_UPDATE, status=TimerStatus.MISSED)
    assert late.met_at is not None


def test_command_runs_the_job(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    make_record(actor=world.officer)
    call_command("care_timers")
    assert "Victims' Code timers" in capsys.readouterr().out
