"""The Victims' Right to Review: a victim asks for a decision not to charge (or to stop a
prosecution) to be looked at again; the request and its one result are kept, audited, shown on
the record and told to the victim."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record
from tests.outcomes.test_outcomes import outcomes  # noqa: F401 - the fixture
from umbrella.audit.models import AuditEvent
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes.models import RightToReviewRequest
from umbrella.outcomes.services import (
    charging_decision_record,
    court_result_record,
    right_to_review_decide,
    right_to_review_request,
)


def _not_charged(world: World, days_ago: int = 4):  # type: ignore[no-untyped-def]
    crime = make_record(actor=world.officer, days_ago=10)
    charging_decision_record(actor=world.officer, record=crime, decision="nfa_evidential", decided_by="cps",
                             decided_on=timezone.localdate() - timedelta(days=days_ago))
    return crime


def test_a_request_and_its_result_are_kept_audited_and_told_to_the_victim(world: World, outcomes: None) -> None:  # noqa: F811
    from umbrella.care.models import KeyEvent, Timer, TimerKind

    crime = _not_charged(world)
    review = right_to_review_request(actor=world.officer, record=crime, scheme="cps",
                                     requested_on=timezone.localdate() - timedelta(days=2))
    assert not review.is_decided
    decided = right_to_review_decide(actor=world.officer, review=review, result="upheld",
                                     decided_on=timezone.localdate())
    assert RightToReviewRequest.objects.get(pk=review.pk).result == "upheld" and decided.decided_by == world.officer
    actions = list(AuditEvent.objects.filter(record_id=crime.pk, action__startswith="record.right_to_review")
                   .order_by("id").values_list("action", "changes"))
    assert actions == [
        (outcome_actions.RECORD_REVIEW_REQUEST, {"scheme": "cps", "requested_on": (timezone.localdate() - timedelta(days=2)).isoformat()}),
        (outcome_actions.RECORD_REVIEW_DECISION, {"scheme": "cps", "result": "upheld", "decided_on": timezone.localdate().isoformat()}),
    ]
    timers = Timer.objects.filter(record=crime, kind=TimerKind.KEY_EVENT_UPDATE, key_event__event=KeyEvent.OUTCOME)
    assert timers.exists()
    # The result is written once.
    with pytest.raises(ValidationError) as refused:
        right_to_review_decide(actor=world.officer, review=review, result="not_upheld", decided_on=timezone.localdate())
    assert "already has its result" in str(refused.value)
    assert RightToReviewRequest.objects.get(pk=review.pk).result == "upheld"


def test_a_review_needs_a_decision_it_can_review(world: World, outcomes: None) -> None:  # noqa: F811
    charged = make_record(actor=world.officer, days_ago=10)
    with pytest.raises(ValidationError) as nothing_to_review:
        right_to_review_request(actor=world.officer, record=charged, scheme="police", requested_on=timezone.localdate())
    assert "record that decision first" in str(nothing_to_review.value)
    charging_decision_record(actor=world.officer, record=charged, decision="charge", decided_by="cps",
                             decided_on=timezone.localdate() - timedelta(days=5))
    with pytest.raises(ValidationError):
        right_to_review_request(actor=world.officer, record=charged, scheme="cps", requested_on=timezone.localdate())
    # A prosecution stopped at court can be reviewed.
    court_result_record(actor=world.officer, record=charged, result="discontinued",
                        decided_on=timezone.localdate() - timedelta(days=1))
    assert right_to_review_request(actor=world.officer, record=charged, scheme="cps", requested_on=timezone.localdate())
    assert RightToReviewRequest.objects.filter(record=charged).count() == 1


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"scheme": "court"}, "scheme", "Select whose scheme"),
    ({"requested_on": "future"}, "requested_on", "must be today or in the past"),
    ({"requested_on": "before"}, "requested_on", "must be on or after"),
])
def test_bad_requests_are_refused_by_field_and_nothing_is_saved(
    world: World, outcomes: None, change: dict[str, object], field: str, message: str  # noqa: F811
) -> None:
    crime = _not_charged(world)
    days = {"future": 1, "before": -30}
    values: dict[str, object] = {"scheme": "police", "requested_on": timezone.localdate()} | change
    if values["requested_on"] in days:
        values["requested_on"] = timezone.localdate() + timedelta(days=days[str(values["requested_on"])])
    with pytest.raises(ValidationError) as refused:
        right_to_review_request(actor=world.officer, record=crime, **values)  # type: ignore[arg-type]
    assert message in " ".join(refused.value.message_dict[field])
    assert not RightToReviewRequest.objects.filter(record=crime).exists()


def test_a_second_request_waits_for_the_first_and_others_may_not_record_one(world: World, outcomes: None) -> None:  # noqa: F811
    crime = _not_charged(world)
    right_to_review_request(actor=world.officer, record=crime, scheme="police", requested_on=timezone.localdate())
    with pytest.raises(ValidationError) as waiting:
        right_to_review_request(actor=world.officer, record=crime, scheme="police", requested_on=timezone.localdate())
    assert "still waiting for its result" in str(waiting.value)
    with pytest.raises(PermissionDenied):
        right_to_review_request(actor=world.caseworker, record=crime, scheme="cps", requested_on=timezone.localdate())


def test_the_pages_record_a_request_and_its_result_and_the_record_shows_them(
    world: World, outcomes: None, client: Client  # noqa: F811
) -> None:
    crime = _not_charged(world)
    client.force_login(world.officer)
    url = reverse("outcomes:review-request", args=[crime.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    today = timezone.localdate()
    done = client.post(url, {"scheme": "cps", "requested_on_day": today.day, "requested_on_month": today.month,
                             "requested_on_year": today.year})
    assert done.status_code == 302
    review = RightToReviewRequest.objects.get(record=crime)
    detail = client.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "Right to Review" in detail and "Waiting for the result" in detail
    decide = reverse("outcomes:review-decide", args=[review.pk])
    assert client.post(decide, {"result": "not_upheld", "decided_on_day": today.day, "decided_on_month": today.month,
                                "decided_on_year": today.year}).status_code == 302
    detail = client.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "Not upheld: the decision stands" in detail
    timeline = client.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "asked for a review" in timeline.lower()


def test_a_waiting_review_is_on_the_forces_worklist_until_its_result_is_recorded(
    world: World, outcomes: None, client: Client  # noqa: F811
) -> None:
    from umbrella.core.worklist import worklist_items

    crime = _not_charged(world)
    review = right_to_review_request(actor=world.officer, record=crime, scheme="police", requested_on=timezone.localdate())
    mine = [item for item in worklist_items(world.officer) if item.kind == "Right to Review"]
    assert [(item.record_reference, item.url) for item in mine] == [
        (crime.reference, reverse("outcomes:review-decide", args=[review.pk]))
    ]
    # Nobody outside the force sees it, not even as a count.
    assert not [item for item in worklist_items(world.caseworker) if item.kind == "Right to Review"]
    assert not [item for item in worklist_items(world.outsider) if item.kind == "Right to Review"]
    client.force_login(world.officer)
    assert crime.reference in client.get(reverse("care:worklist")).content.decode()
    right_to_review_decide(actor=world.officer, review=review, result="not_upheld", decided_on=timezone.localdate())
    assert not [item for item in worklist_items(world.officer) if item.kind == "Right to Review"]
