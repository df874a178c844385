"""Records enter the force's review queue when recorded with strands or when their strands change."""

from __future__ import annotations

from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tests.factories import make_record, strand
from tests.review.factories import open_item, reviewer, suggest
from umbrella.audit.models import AuditEvent
from umbrella.cases.services import record_add_strand, record_change_status
from umbrella.core.working_days import add_working_days
from umbrella.review.models import ReviewItem, Suggestion
from umbrella.review.services import item_claim

LONDON = ZoneInfo("Europe/London")


def test_a_flagged_record_enters_the_queue_due_in_one_working_day(world: World) -> None:
    record = make_record(actor=world.officer)
    item = open_item(record)
    assert item.reason == "flagged"
    assert item.organisation == world.force
    assert item.due_at == add_working_days(item.entered_at, 1)
    assert AuditEvent.objects.filter(action="review.enqueue", record_id=record.pk).count() == 1


def test_due_time_skips_the_easter_bank_holidays(world: World) -> None:
    maundy_thursday = datetime(2026, 4, 2, 15, 0, tzinfo=LONDON)
    with patch("django.utils.timezone.now", return_value=maundy_thursday):
        record = make_record(actor=world.officer)
    item = open_item(record)
    # Good Friday and Easter Monday are bank holidays: due on Tuesday at the same time.
    assert item.due_at == datetime(2026, 4, 7, 15, 0, tzinfo=LONDON)


def test_unflagged_and_draft_records_wait_and_enter_when_flagged_or_recorded(world: World) -> None:
    unflagged = make_record(actor=world.officer, strands=[], kind="other_crime")
    assert not ReviewItem.objects.filter(record=unflagged).exists()
    record_add_strand(actor=world.officer, record=unflagged, strand=strand("religion"))
    assert open_item(unflagged).reason == "flagged"

    draft = make_record(actor=world.officer, status="draft")
    assert not ReviewItem.objects.filter(record=draft).exists()
    record_change_status(actor=world.officer, record=draft, status="recorded")
    assert ReviewItem.objects.filter(record=draft).count() == 1
    # Later status changes do not queue it again.
    record_change_status(actor=world.officer, record=draft, status="under_investigation")
    assert ReviewItem.objects.filter(record=draft).count() == 1


def test_a_strand_change_on_a_queued_record_keeps_one_open_item(world: World) -> None:
    record = make_record(actor=world.officer)
    record_add_strand(actor=world.officer, record=record, strand=strand("religion"))
    assert ReviewItem.objects.filter(record=record).count() == 1


def test_third_party_centre_records_are_not_queued(world: World) -> None:
    record = make_record(actor=world.caseworker)
    assert not ReviewItem.objects.filter(record=record).exists()


def test_suggestion_add_is_idempotent_and_queues_an_unflagged_record(world: World) -> None:
    record = make_record(actor=world.officer, strands=[], kind="other_crime")
    first = suggest(record)
    second = suggest(record)
    assert first.pk == second.pk
    assert Suggestion.objects.filter(record=record).count() == 1
    item = open_item(record)
    assert item.reason == "suggestion"
    assert first.item == item
    # A new model version suggesting the same thing is a new suggestion on the same open item.
    third = suggest(record, version="2")
    assert third.pk != first.pk and third.item == item
    assert ReviewItem.objects.filter(record=record).count() == 1
    event = AuditEvent.objects.filter(action="review.suggestion_add", record_id=record.pk).first()
    assert event is not None and event.changes["explanation"] == "set (encrypted)"
    # The explanation (which quotes the narrative) is stored encrypted.
    assert "go back" not in Suggestion.objects.get(pk=first.pk).explanation


def test_suggestion_add_rejects_bad_input(world: World) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(ValidationError):
        suggest(record, kind="nonsense")
    with pytest.raises(ValidationError):
        suggest(record, kind="strand")  # no strand code
    with pytest.raises(ValidationError):
        suggest(record, probability=1.5)


def test_two_reviewers_claiming_at_once_one_wins_the_other_is_told(world: World) -> None:
    record = make_record(actor=world.officer)
    other = reviewer("second.reviewer", world.force)
    # Both loaded the queue before either claimed.
    seen_by_first, seen_by_second = open_item(record), open_item(record)
    won = item_claim(actor=world.hub_reviewer, item=seen_by_first)
    assert won.claimed_by == world.hub_reviewer and won.status == "claimed"
    with pytest.raises(ValidationError, match="claimed this item first"):
        item_claim(actor=other, item=seen_by_second)
    assert open_item(record).claimed_by == world.hub_reviewer
    # Claiming again as the winner is harmless.
    assert item_claim(actor=world.hub_reviewer, item=seen_by_first).claimed_by == world.hub_reviewer


def test_another_forces_reviewer_cannot_claim(world: World) -> None:
    record = make_record(actor=world.officer)
    stranger = reviewer("colp.reviewer", world.other_force)
    with pytest.raises(ReviewItem.DoesNotExist):
        item_claim(actor=stranger, item=open_item(record))
