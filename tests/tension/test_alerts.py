"""Tension alerts: raised once for each month whose count exceeds its history, shown with the
trigger events that may explain them, acknowledged with a note by the register's keepers, and in
their worklist until then."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from tests.conftest import World
from tests.factories import code
from tests.tension.test_scan_the_met import MPS
from umbrella.audit.models import AuditEvent
from umbrella.core.worklist import worklist_providers
from umbrella.reference.seed import seed_reference_data
from umbrella.tension import actions
from umbrella.tension.models import TensionAlert
from umbrella.tension.services import alert_acknowledge, alerts_raise, trigger_event_record


@pytest.fixture
def met(db: None) -> None:
    if not MPS.exists():
        pytest.skip(f"{MPS} is absent: the shared data sets live beside the repository (../shared/data)")
    seed_reference_data()
    call_command("stats_import", "mps-monthly", str(MPS), stdout=StringIO())


def test_alerts_are_raised_once_and_acknowledged_with_a_note(world: World, met: None, client: Client) -> None:
    raised = alerts_raise(actor=None, source="mps-monthly", level="london", since=date(2021, 5, 1))
    assert ("religion", "antisemitic", date(2021, 5, 1)) in {(a.strand, a.sub_category, a.period_start) for a in raised}
    assert alerts_raise(actor=None, source="mps-monthly", level="london", since=date(2021, 5, 1)) == []  # once
    assert AuditEvent.objects.filter(action=actions.TENSION_ALERTS_RAISE).count() == 2
    trigger_event_record(actor=world.hub_reviewer, name="Conflict in Israel and Gaza", starts_on=date(2021, 5, 10),
                         scope="international", strands=["religion"])
    client.force_login(world.hub_reviewer)
    page = client.get("/tension/alerts/").content.decode()
    assert "Conflict in Israel and Gaza" in page and "May 2021" in page
    assert "Antisemitic (anti-Jewish)" in page  # the sub-category's label, not its code
    alert = TensionAlert.objects.get(strand="religion", sub_category="antisemitic", period_start=date(2021, 5, 1))
    assert any(item.kind == "Tension alert" for item in worklist_providers()["tension.alerts"](world.hub_reviewer))
    client.post(f"/tension/alerts/{alert.pk}/acknowledge/", {f"alert-{alert.pk}-note": ""})
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    client.post(f"/tension/alerts/{alert.pk}/acknowledge/", {f"alert-{alert.pk}-note": "Community groups report leafleting; patrols up."})
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.hub_reviewer and "patrols up" in alert.note
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=world.officer, alert=alert, note="Seen")
    with pytest.raises(ValidationError):
        alert_acknowledge(actor=world.scrutiny_member, alert=alert, note=" ")
    assert worklist_providers()["tension.alerts"](world.officer) == []


def test_the_command_raises_the_last_months_alerts_from_umbrellas_own_counts(world: World) -> None:
    code("strand", "race", "Race")
    out = StringIO()
    call_command("tension_alerts", "--source", "umbrella", stdout=out)
    assert "0 new alerts since" in out.getvalue()  # no history yet: nothing to judge
