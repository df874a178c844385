"""The demo conferences load on top of the demo personas and records, once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import code, make_record
from umbrella.conferences.demo import HELD_TITLE, PLANNED_TITLE, load_demo
from umbrella.conferences.models import Conference, ConferenceReferral, Minutes
from umbrella.demo.personas import CSU_BOROUGHS, ensure_world

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
