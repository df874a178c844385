"""A prosecution's hearings: recorded after a charge, a listed one ahead with no plea yet, the
victim's timer to be told its date, and the funnel counting a crime prosecuted once a hearing has
happened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import World
from tests.factories import make_record
from tests.outcomes.test_outcomes import outcomes  # noqa: F401 - the fixture
from umbrella.audit.models import AuditEvent
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes.funnel import attrition_funnel
from umbrella.outcomes.models import CourtHearing
from umbrella.outcomes.services import (
    charging_decision_record,
    court_hearing_record,
    outcome_record,
)


def _charged(world: World, *, days_ago: int = 30):  # type: ignore[no-untyped-def]
    crime = make_record(actor=world.officer, days_ago=days_ago)
    outcome_record(actor=world.officer, record=crime, outcome_code="1", suspect_identified=True,
                   decided_on=timezone.localdate() - timedelta(days=days_ago - 5))
    charging_decision_record(actor=world.officer, record=crime, decision="charge", decided_by="cps",
                             decided_on=timezone.localdate() - timedelta(days=days_ago - 5))
    return crime


def test_a_hearing_follows_a_charge_and_a_plea_follows_the_hearing(world: World, outcomes: None) -> None:  # noqa: F811
    today = timezone.localdate()
    uncharged = make_record(actor=world.officer, days_ago=10)
    with pytest.raises(ValidationError) as refused:
        court_hearing_record(actor=world.officer, record=uncharged, kind="first", heard_on=today)
    assert refused.value.message_dict == {"kind": ["Record the charge first: a hearing follows a decision to charge"]}
    crime = _charged(world)
    with pytest.raises(ValidationError) as refused:
        court_hearing_record(actor=world.officer, record=crime, kind="trial", heard_on=today + timedelta(days=30),
                             plea="guilty")
    assert refused.value.message_dict == {
        "plea": ["A plea is entered at the hearing: record it once the hearing has happened"]
    }
    with pytest.raises(ValidationError) as refused:
        court_hearing_record(actor=world.officer, record=crime, kind="first", heard_on=today - timedelta(days=40))
    assert "must be on or after" in refused.value.message_dict["heard_on"][0]
    assert not CourtHearing.objects.exists()

    listed = court_hearing_record(actor=world.officer, record=crime, kind="trial", heard_on=today + timedelta(days=30))
    first = court_hearing_record(actor=world.officer, record=crime, kind="first", heard_on=today - timedelta(days=3),
                                 plea="not_guilty")
    assert listed.plea == "not_entered" and first.plea == "not_guilty"
    assert AuditEvent.objects.filter(action=outcome_actions.RECORD_COURT_HEARING, record_id=crime.pk).count() == 2


def test_the_victim_is_told_the_hearings_date(world: World, outcomes: None) -> None:  # noqa: F811
    from umbrella.care.models import Timer, TimerKind

    crime = _charged(world)
    court_hearing_record(actor=world.officer, record=crime, kind="first", heard_on=timezone.localdate() + timedelta(days=14))
    events = set(Timer.objects.filter(record=crime, kind=TimerKind.KEY_EVENT_UPDATE).values_list("key_event__event", flat=True))
    assert "court_hearing" in events


def test_the_funnel_counts_a_crime_prosecuted_once_a_hearing_has_happened(world: World, outcomes: None) -> None:  # noqa: F811
    today = timezone.localdate()
    waiting, listed, heard = _charged(world), _charged(world), _charged(world)
    court_hearing_record(actor=world.officer, record=listed, kind="first", heard_on=today + timedelta(days=7))
    court_hearing_record(actor=world.officer, record=heard, kind="first", heard_on=today - timedelta(days=2), plea="guilty")
    funnel = attrition_funnel(user=world.supervisor, kinds=("hate_crime",), medians=True)
    counts = {stage.key: stage.count for stage in funnel.stages}
    assert (counts["charged"], counts["prosecuted"], counts["convicted"]) == (3, 1, 0)
    reasons = {(r.after_stage, r.reason): r.count for r in funnel.reasons}
    assert reasons[("charged", "Awaiting the first hearing")] == 2  # the one listed ahead too
    assert reasons[("prosecuted", "Awaiting the court's result")] == 1
    days = {stage.key: stage.median_days for stage in funnel.stages}
    assert days["prosecuted"] == 28  # reported 30 days ago, first heard 2 days ago
    assert waiting.pk != heard.pk


def test_a_listed_hearing_counts_from_its_day_without_anything_rewritten(world: World, outcomes: None,  # noqa: F811
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    today = timezone.localdate()
    listed = _charged(world)
    court_hearing_record(actor=world.officer, record=listed, kind="first", heard_on=today + timedelta(days=7))
    assert {s.key: s.count for s in attrition_funnel(user=world.supervisor).stages}["prosecuted"] == 0
    # A week on, the same stored rows: the hearing has happened and the crime is in court.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=7))
    assert {s.key: s.count for s in attrition_funnel(user=world.supervisor).stages}["prosecuted"] == 1


def test_the_page_the_panel_and_the_api(world: World, outcomes: None, client: Client) -> None:  # noqa: F811
    crime = _charged(world)
    client.force_login(world.officer)
    url = reverse("outcomes:hearing-add", args=[crime.pk])
    refused = client.post(url, {"kind": "", "heard_on_day": "", "heard_on_month": "", "heard_on_year": ""})
    assert refused.status_code == 400 and "Select the kind of hearing" in refused.content.decode()
    day = timezone.localdate() - timedelta(days=1)
    saved = client.post(url, {"kind": "first", "heard_on_day": day.day, "heard_on_month": day.month,
                              "heard_on_year": day.year, "plea": "guilty"})
    assert saved.status_code == 302
    detail = client.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "First hearing, pleaded guilty" in detail and "Court hearing recorded by officer: First hearing on" in detail
    api = APIClient()
    api.force_authenticate(world.officer)
    listed = api.get(f"/api/v1/records/{crime.pk}/court-hearings/").json()
    assert [(row["kind"], row["plea"]) for row in listed] == [("first", "guilty")]
    bad = api.post(f"/api/v1/records/{crime.pk}/court-hearings/", {"kind": "trial", "heard_on": "2000-01-01"}, format="json")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
