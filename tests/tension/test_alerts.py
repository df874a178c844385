"""Tension alerts: raised once for each month whose count exceeds its history, shown with the
trigger events that may explain them, acknowledged with a note by the register's keepers, and in
their worklist until then."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

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
from umbrella.tension.selectors import MONTHS_AFTER, MONTHS_BEFORE, alert_history
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
    # Earlier years hold continuing months and gradual rises: listed on the alerts page, not work for anyone.
    earlier = alerts_raise(actor=None, source="mps-monthly", level="london", since=date(2014, 1, 1))
    quiet = [a for a in earlier if a.signal not in ("new", "rising")]
    told = [a for a in earlier if a.signal in ("new", "rising")]
    assert {"gradual", "continuing"} <= {a.signal for a in quiet} and told
    urls = {item.url for item in worklist_providers()["tension.alerts"](world.hub_reviewer)}
    assert not {f"/tension/alerts/{a.pk}/" for a in quiet} & urls
    assert {f"/tension/alerts/{a.pk}/" for a in told[:3]} <= urls
    # The alerts page shows the told ones first, and every alert on asking.
    page = client.get("/tension/alerts/").content.decode()
    assert f'href="/tension/alerts/{told[0].pk}/"' in page and f'href="/tension/alerts/{quiet[0].pk}/"' not in page
    assert "Show every alert" in page
    everything = client.get("/tension/alerts/?show=all").content.decode()
    assert f'href="/tension/alerts/{quiet[0].pk}/"' in everything and "Show only the alerts people are told of" in everything


def test_an_alerts_page_draws_its_series_with_the_events_and_judges_each_month_as_the_scan_did(
    world: World, met: None, client: Client
) -> None:
    alerts_raise(actor=None, source="mps-monthly", level="london", since=date(2021, 5, 1))
    trigger_event_record(actor=world.hub_reviewer, name="Conflict in Israel and Gaza", starts_on=date(2021, 5, 10),
                         scope="international", strands=["religion"])
    alert = TensionAlert.objects.get(strand="religion", sub_category="antisemitic", period_start=date(2021, 5, 1))
    client.force_login(world.analyst)
    assert f'href="/tension/alerts/{alert.pk}/"' in client.get("/tension/alerts/").content.decode()
    page = client.get(f"/tension/alerts/{alert.pk}/").content.decode()
    assert "Religion or belief: Antisemitic (anti-Jewish), London</h1>" in page
    assert 'id="chart-alert"' in page and "trigger events marked by a vertical line" in page
    history = alert_history(alert)
    # Three years up to the alert, and the months after it that the series has (at most six).
    assert history[0].month == date(2018, 6, 1) and MONTHS_BEFORE + 1 <= len(history) <= MONTHS_BEFORE + MONTHS_AFTER + 1
    month = next(row for row in history if row.month == alert.period_start)
    # The month is judged on the page exactly as the scan judged it when it raised the alert.
    assert (month.observed, month.alert) == (alert.observed, True)
    assert month.expected == pytest.approx(alert.expected) and month.threshold == pytest.approx(alert.threshold)
    assert [event.name for event in month.events] == ["Conflict in Israel and Gaza"]
    row = page[page.index("May 2021 <strong"):]
    assert row.index("This alert") < row.index("Conflict in Israel and Gaza") < row.index("</tr>")
    client.force_login(world.officer)
    assert client.get(f"/tension/alerts/{alert.pk}/").status_code == 403


def test_the_command_raises_the_last_months_alerts_from_umbrellas_own_counts(world: World) -> None:
    code("strand", "race", "Race")
    out = StringIO()
    call_command("tension_alerts", "--source", "umbrella", stdout=out)
    assert "0 new alerts since" in out.getvalue()  # no history yet: nothing to judge


def test_a_partner_manager_is_given_the_alerts_of_the_communities_their_organisation_serves(world: World) -> None:
    from tests.factories import UserFactory, make_record, strand
    from umbrella.accounts.models import Role
    from umbrella.statistics.services import facts_rebuild

    code("strand", "race", "Race")
    code("strand", "religion", "Religion or belief")
    code("sub_category", "antisemitic", "Antisemitic (anti-Jewish)", parent_code="religion")
    manager = UserFactory(username="centre.manager", role=Role.PARTNER_MANAGER, organisation=world.centre)
    for _ in range(3):  # the centre's own records: antisemitism
        make_record(actor=world.caseworker, strands=[strand("religion", sub_category="antisemitic")])
    facts_rebuild(actor=None)
    for strand_code, sub in (("religion", "antisemitic"), ("race", "")):
        TensionAlert.objects.create(source="umbrella", period_start=date(2026, 1, 1), strand=strand_code, sub_category=sub,
                                    area="london", observed=40, expected=10.0, threshold=20.0, score=2.5)
    provider = worklist_providers()["tension.alerts"]
    mine = [item.title for item in provider(manager)]
    assert mine == ["Acknowledge the rise in Antisemitic (anti-Jewish) hate (London, January 2026)"]
    assert len(provider(world.hub_reviewer)) == 2 and len(provider(world.scrutiny_member)) == 2


def test_a_new_alert_is_mailed_to_the_hub_the_advisory_group_and_the_partners_serving_the_community(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from tests.factories import UserFactory, make_record, strand
    from umbrella.accounts.models import Role
    from umbrella.statistics.services import facts_rebuild
    from umbrella.tension.mail import alert_recipients

    code("strand", "religion", "Religion or belief")
    code("sub_category", "antisemitic", "Antisemitic (anti-Jewish)", parent_code="religion")
    code("strand", "race", "Race")
    serving = UserFactory(username="centre.manager", role=Role.PARTNER_MANAGER, organisation=world.centre,
                          email="manager@centre.example")
    UserFactory(username="other.manager", role=Role.PARTNER_MANAGER, organisation=world.other_centre,
                email="manager@other.example")
    for user, address in ((world.hub_reviewer, "hub@force.example"), (world.scrutiny_member, "iag@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    for _ in range(3):
        make_record(actor=world.caseworker, strands=[strand("religion", sub_category="antisemitic")])
    facts_rebuild(actor=None)
    alert = TensionAlert.objects.create(source="umbrella", period_start=date(2026, 1, 1), strand="religion",
                                        sub_category="antisemitic", area="london", observed=40, expected=10.0,
                                        threshold=20.0, score=2.5)
    assert alert_recipients(alert) == ["hub@force.example", "iag@example.org", serving.email]
    from umbrella.tension.tasks import notify_alert

    with django_capture_on_commit_callbacks(execute=True):
        notify_alert.enqueue(alert.pk)
    [message] = mail.outbox
    assert message.subject == "Tension alert: Antisemitic (anti-Jewish) hate in London, January 2026"
    assert f"/tension/alerts/{alert.pk}/" in message.body and "manager@other.example" not in message.to


def test_a_lasting_rise_is_mailed_when_it_starts_and_when_it_rises_not_every_month(
    world: World, met: None, client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from umbrella.tension import tasks

    mailed: list[int] = []
    monkeypatch.setattr(tasks, "notify_alert", type("Recorder", (), {"enqueue": staticmethod(mailed.append)}))
    with django_capture_on_commit_callbacks(execute=True):
        raised = alerts_raise(actor=None, source="mps-monthly", level="london", since=date(2016, 1, 1))
    # Disability hate in London was above its history every month from February to December 2016.
    disability = [a for a in raised if a.strand == "disability" and a.period_start.year == 2016]
    assert disability[0].signal == "new" and len(disability) >= 10
    continuing = [a for a in disability if a.signal == "continuing"]
    assert len(continuing) >= len(disability) // 2, [a.signal for a in disability]
    assert set(mailed) == {a.pk for a in raised if a.signal in ("new", "rising")} and len(mailed) < len(raised)
    client.force_login(world.hub_reviewer)
    page = client.get(f"/tension/alerts/{continuing[0].pk}/").content.decode()
    assert "continues a run already told of" in page
