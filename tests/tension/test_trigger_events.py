"""The register of trigger events: kept by the hub and the advisory group, checked like every
other form, audited, and shown beside the statistics of the period it falls in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code
from umbrella.audit.models import AuditEvent
from umbrella.tension import actions
from umbrella.tension.models import TriggerEvent
from umbrella.tension.selectors import events_between
from umbrella.tension.services import trigger_event_record


@pytest.fixture
def strands(db: None) -> None:
    code("strand", "race", "Race")
    code("strand", "religion", "Religion or belief")
    code("borough", "E09000030", "Tower Hamlets")


def test_an_event_is_checked_recorded_and_audited(world: World, strands: None) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        trigger_event_record(actor=world.hub_reviewer, name="", starts_on=today, scope="local", strands=["caste"],
                             ends_on=today - timedelta(days=1))
    assert set(refused.value.message_dict) == {"name", "strands", "area", "ends_on"}
    with pytest.raises(PermissionDenied):
        trigger_event_record(actor=world.officer, name="March", starts_on=today, scope="national", strands=["race"])
    assert not TriggerEvent.objects.exists()
    event = trigger_event_record(actor=world.scrutiny_member, name="Conflict overseas", starts_on=today - timedelta(days=40),
                                 scope="international", strands=["religion", "race"], communities="Jewish and Muslim Londoners")
    assert event.strands == ["race", "religion"]
    assert AuditEvent.objects.filter(action=actions.TRIGGER_EVENT_RECORD).count() == 1
    assert events_between(today - timedelta(days=60), today, strand="religion") == [event]
    assert events_between(today - timedelta(days=30), today) == []  # began earlier and has no end: not "still going"


def test_the_page_adds_an_event_and_the_statistics_page_shows_it(world: World, strands: None, client: Client) -> None:
    client.force_login(world.hub_reviewer)
    refused = client.post("/tension/events/new/", {"name": "", "scope": "local"})
    assert refused.status_code == 400 and "Enter what happened" in refused.content.decode()
    day = timezone.localdate().replace(day=1) - timedelta(days=20)
    saved = client.post("/tension/events/new/", {
        "name": "Football final", "starts_on_day": day.day, "starts_on_month": day.month, "starts_on_year": day.year,
        "scope": "local", "area": "E09000030", "strands": ["race"],
    })
    assert saved.status_code == 302
    assert "Football final" in client.get("/tension/events/").content.decode()
    client.force_login(world.analyst)
    page = client.get(f"/statistics/?from_month={day:%Y-%m}&to_month={day:%Y-%m}").content.decode()
    assert "Trigger events in this period" in page and "Football final" in page
    elsewhere = client.get(f"/statistics/?from_month={day:%Y-%m}&to_month={day:%Y-%m}&strand=religion").content.decode()
    assert "Football final" not in elsewhere

