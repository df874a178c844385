"""A crime's charging decisions: recorded by the force that owns it, checked, kept as history,
audited, shown on the record and told to the victim."""

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
from umbrella.outcomes.models import ChargingDecision
from umbrella.outcomes.services import charging_decision_record, outcome_record


def _decide(world: World, crime, **change):  # type: ignore[no-untyped-def]
    values = {"decision": "charge", "decided_by": "cps", "decided_on": timezone.localdate()} | change
    return charging_decision_record(actor=world.officer, record=crime, **values)


def test_decisions_are_kept_newest_first_audited_and_start_the_victims_timer(world: World, outcomes: None) -> None:  # noqa: F811
    from umbrella.care.models import KeyEvent, Timer, TimerKind

    crime = make_record(actor=world.officer, days_ago=10)
    first = _decide(world, crime, decision="nfa_evidential", decided_by="police",
                    decided_on=timezone.localdate() - timedelta(days=4))
    second = _decide(world, crime)
    assert list(ChargingDecision.objects.filter(record=crime)) == [second, first]
    event = AuditEvent.objects.filter(action=outcome_actions.RECORD_CHARGING_DECISION, record_id=crime.pk).latest("id")
    assert event.changes == {"decision": "charge", "decided_by": "cps", "decided_on": timezone.localdate().isoformat()}
    timers = Timer.objects.filter(record=crime, kind=TimerKind.KEY_EVENT_UPDATE)
    assert set(timers.values_list("key_event__event", flat=True)) == {KeyEvent.RELEASE, KeyEvent.CHARGE}
    # Telling the victim meets them: the next contact with the victim.
    from umbrella.care.services import victim_contact_record

    victim_contact_record(actor=world.officer, record=crime, method="phone", summary="Told her he was charged",
                          contacted_at=timezone.now())
    assert not timers.filter(met_at__isnull=True).exists()


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"decision": "maybe"}, "decision", "Select the charging decision"),
    ({"decided_by": "judge"}, "decided_by", "Select who made the decision"),
    ({"decided_on": "future"}, "decided_on", "must be today or in the past"),
    ({"decided_on": "before"}, "decided_on", "must be on or after"),
])
def test_bad_decisions_are_refused_by_field_and_nothing_is_saved(
    world: World, outcomes: None, change: dict[str, object], field: str, message: str  # noqa: F811
) -> None:
    crime = make_record(actor=world.officer, days_ago=3)
    days = {"future": 1, "before": -30}
    if change.get("decided_on") in days:
        change = {**change, "decided_on": timezone.localdate() + timedelta(days=days[str(change["decided_on"])])}
    with pytest.raises(ValidationError) as refused:
        _decide(world, crime, **change)
    assert message in str(refused.value.message_dict[field])
    assert not ChargingDecision.objects.exists()


def test_no_charge_after_an_outcome_with_no_suspect_and_none_on_incidents_or_for_others(
    world: World, outcomes: None  # noqa: F811
) -> None:
    crime = make_record(actor=world.officer, days_ago=3)
    outcome_record(actor=world.officer, record=crime, outcome_code="18", suspect_identified=False,
                   decided_on=timezone.localdate())
    with pytest.raises(ValidationError, match="no suspect was identified"):
        _decide(world, crime)
    incident = make_record(actor=world.officer, kind="nchi")
    with pytest.raises(ValidationError, match="Only a crime"):
        _decide(world, incident)
    with pytest.raises(PermissionDenied):
        charging_decision_record(actor=world.analyst, record=make_record(actor=world.officer), decision="charge",
                                 decided_by="cps", decided_on=timezone.localdate())
    assert not ChargingDecision.objects.exists()


def test_the_page_records_a_decision_the_panel_and_timeline_show_it(world: World, outcomes: None, client: Client) -> None:  # noqa: F811
    crime = make_record(actor=world.officer, days_ago=3)
    client.force_login(world.officer)
    url = reverse("outcomes:charging-add", args=[crime.pk])
    refused = client.post(url, {"decision": "", "decided_by": "cps"})
    assert refused.status_code == 400 and "Select the charging decision" in refused.content.decode()
    today = timezone.localdate()
    made = client.post(url, {"decision": "out_of_court", "decided_by": "police", "decided_on_day": today.day,
                             "decided_on_month": today.month, "decided_on_year": today.year})
    assert made.status_code == 302
    page = client.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "Out-of-court disposal (a caution or community resolution), decided by the police" in page
    assert "Charging decision recorded by" in page
    client.force_login(world.analyst)
    assert client.get(url).status_code == 403


def test_the_api_records_and_lists_decisions_with_problems_naming_fields(world: World, outcomes: None) -> None:  # noqa: F811
    from rest_framework.test import APIClient

    crime = make_record(actor=world.officer, days_ago=5)
    client = APIClient()
    client.force_authenticate(world.officer)
    url = f"/api/v1/records/{crime.pk}/charging-decisions/"
    refused = client.post(url, {"decision": "maybe", "decided_by": "cps", "decided_on": "2100-01-01"}, format="json")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert {error["pointer"] for error in refused.json()["errors"]} == {"/decision"}
    made = client.post(url, {"decision": "charge", "decided_by": "cps", "decided_on": timezone.localdate().isoformat()},
                       format="json")
    assert made.status_code == 201, made.content
    assert made.json()["decision_label"] == "Charged or summonsed"
    assert [row["decision"] for row in client.get(url).json()] == ["charge"]
    outsider = APIClient()
    outsider.force_authenticate(world.outsider)
    assert outsider.get(url).status_code == 404


def test_a_court_result_follows_a_charge_and_the_uplift_only_a_conviction(world: World, outcomes: None) -> None:  # noqa: F811
    from tests.factories import code
    from umbrella.outcomes.models import CourtResult
    from umbrella.outcomes.services import court_result_record

    code("offence", "8M", "Harassment")
    crime = make_record(actor=world.officer, days_ago=10)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Record the charge first"):
        court_result_record(actor=world.officer, record=crime, result="convicted", decided_on=today, offence_code="8M")
    _decide(world, crime, decided_on=today - timedelta(days=2))
    for change, field in (
        ({"result": "acquitted", "uplift_applied": True}, "uplift_applied"),
        ({"result": "convicted", "offence_code": "8M", "uplift_announced": True}, "uplift_announced"),
        ({"result": "convicted"}, "offence"),
        ({"result": "convicted", "offence_code": "ZZ"}, "offence"),
        ({"result": "convicted", "offence_code": "8M", "decided_on": today - timedelta(days=5)}, "decided_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            court_result_record(actor=world.officer, record=crime, **{"decided_on": today, **change})  # type: ignore[arg-type]
        assert field in refused.value.message_dict, change
    assert not CourtResult.objects.exists()
    court_result_record(actor=world.officer, record=crime, result="convicted", decided_on=today, offence_code="8M",
                        sentence="Community order", uplift_applied=True, uplift_announced=True)
    page = Client()
    page.force_login(world.officer)
    text = page.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "Convicted of Harassment. Sentence: Community order. Sentence increased for hostility, said in open court" in text
    assert "Court result recorded by" in text
    # Another crime (not recorded as a hate crime) is convicted without the hostility uplift.
    other = make_record(actor=world.officer, days_ago=10, kind="other_crime")
    _decide(world, other, decided_on=today - timedelta(days=2))
    with pytest.raises(ValidationError, match="The hostility uplift is for a hate crime"):
        court_result_record(actor=world.officer, record=other, result="convicted", decided_on=today, offence_code="8M",
                            uplift_applied=True)
    court_result_record(actor=world.officer, record=other, result="convicted", decided_on=today, offence_code="8M")


def test_the_api_records_court_results(world: World, outcomes: None) -> None:  # noqa: F811
    from rest_framework.test import APIClient

    from tests.factories import code

    code("offence", "8M", "Harassment")
    crime = make_record(actor=world.officer, days_ago=5)
    _decide(world, crime)
    client = APIClient()
    client.force_authenticate(world.officer)
    url = f"/api/v1/records/{crime.pk}/court-results/"
    refused = client.post(url, {"result": "acquitted", "decided_on": timezone.localdate().isoformat(),
                                "uplift_applied": True}, format="json")
    assert refused.status_code == 400 and {e["pointer"] for e in refused.json()["errors"]} == {"/uplift_applied"}
    made = client.post(url, {"result": "convicted", "decided_on": timezone.localdate().isoformat(), "offence": "8M",
                             "uplift_applied": True}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["offence"] == "8M" and made.json()["uplift_applied"] is True
    assert [row["result"] for row in client.get(url).json()] == ["convicted"]
