"""The demo conferences load on top of the demo personas and records, once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from tests.factories import code, make_record
from umbrella.conferences.demo import HELD_TITLE, PLANNED_TITLE, load_demo
from umbrella.conferences.models import Conference, ConferenceReferral, Minutes
from umbrella.demo.generator import anchor_for, plan_records
from umbrella.demo.loader import load_records
from umbrella.demo.personas import CSU_BOROUGHS, ensure_world
from umbrella.reference.seed import seed_reference_data

pytestmark = pytest.mark.django_db


def test_demo_conferences_load_once() -> None:
    for gss in CSU_BOROUGHS.values():
        code("borough", gss, gss, gss=gss)
    demo = ensure_world()
    officer = demo.users["officer"]
    for days in (60, 50, 5, 4, 3):
        make_record(actor=officer, days_ago=days, borough="E09000014")
    summary = load_demo(seed=1, now=timezone.now())
    assert "Risk conferences: 2" in summary
    held = Conference.objects.get(title=HELD_TITLE)
    planned = Conference.objects.get(title=PLANNED_TITLE)
    assert held.status == "held" and Minutes.objects.get(conference=held).approved_at is not None
    assert 3 <= ConferenceReferral.objects.filter(conference=planned).count() <= 5
    assert held.attendees.count() == 4  # the force, the victim service, the council, the housing provider
    assert "already loaded" in load_demo(seed=1, now=timezone.now())


def _borough_codes() -> None:
    for gss in CSU_BOROUGHS.values():
        code("borough", gss, gss, gss=gss)


def _assert_each_case_referred_once() -> None:
    pairs = list(ConferenceReferral.objects.values_list("conference_id", "record_id"))
    assert pairs and len(pairs) == len(set(pairs))


def test_data_that_ends_over_a_month_ago_refers_each_case_once_per_conference() -> None:
    # Regression: when every record is older than last month's conference, "the newest before
    # last month" and "the newest before two days ago" were the same records, and next week's
    # conference got one case twice ("This case is already referred to that conference").
    _borough_codes()
    officer = ensure_world().users["officer"]
    for days in (60, 59, 58, 57, 56, 55):
        make_record(actor=officer, days_ago=days, borough="E09000014")
    load_demo(seed=1, now=timezone.now())
    _assert_each_case_referred_once()
    planned = Conference.objects.get(title=PLANNED_TITLE)
    assert ConferenceReferral.objects.filter(conference=planned).count() == 4  # a repeat and three new cases


@pytest.mark.parametrize("records", [1000, 2000])
def test_seed_5_refers_each_case_once_per_conference(records: int) -> None:
    # The sizes at which seed 5 collided on any day; only the records and this stage are loaded.
    seed_reference_data()
    world = ensure_world()
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)  # over a month after the data's end
    load_records(plan_records(seed=5, records=records, anchor=anchor_for(now)), world=world, now=now)
    load_demo(seed=5, now=now)
    _assert_each_case_referred_once()
