"""A crime's outcome: recorded by the police force that owns it, checked, kept as history, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import closure_reasons, code, make_record
from umbrella.audit.models import AuditEvent
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes.models import InvestigationOutcome
from umbrella.outcomes.services import outcome_record


@pytest.fixture
def outcomes(db: None) -> None:
    code("outcome_group", "charged_summonsed", "Charged or summonsed")
    code("outcome_group", "no_suspect_identified", "Investigation complete: no suspect identified")
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    code("outcome", "18", "Investigation complete: no suspect identified", number=18, group="no_suspect_identified")
    closure_reasons()




def test_an_officer_records_an_outcome_and_a_later_one_keeps_the_first(world: World, outcomes: None) -> None:
    crime = make_record(actor=world.officer, days_ago=10)
    first = outcome_record(actor=world.officer, record=crime, outcome_code="18", suspect_identified=False,
                           decided_on=timezone.localdate() - timedelta(days=5))
    second = outcome_record(actor=world.officer, record=crime, outcome_code="1", suspect_identified=True,
                            decided_on=timezone.localdate())
    assert list(InvestigationOutcome.objects.filter(record=crime)) == [second, first]  # newest first, both kept
    event = AuditEvent.objects.filter(action=outcome_actions.RECORD_OUTCOME, record_id=crime.pk).latest("id")
    assert event.actor == world.officer
    assert event.changes == {"outcome": "1", "group": "charged_summonsed", "decided_on": timezone.localdate().isoformat(),
                             "suspect_identified": True}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"outcome_code": "99"}, "outcome", "Select the outcome from the list"),
    ({"decided_on": "future"}, "decided_on", "must be today or in the past"),
    ({"decided_on": "before"}, "decided_on", "must be on or after"),
    ({"outcome_code": "18", "suspect_identified": True}, "suspect_identified", "No suspect was identified"),
])
def test_bad_outcomes_are_refused_by_field_and_nothing_is_saved(
    world: World, outcomes: None, change: dict[str, object], field: str, message: str
) -> None:
    crime = make_record(actor=world.officer, days_ago=10)
    values: dict[str, object] = {"outcome_code": "1", "suspect_identified": True, "decided_on": timezone.localdate()}
    values.update(change)
    if values["decided_on"] == "future":
        values["decided_on"] = timezone.localdate() + timedelta(days=1)
    elif values["decided_on"] == "before":
        values["decided_on"] = timezone.localdate() - timedelta(days=30)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        outcome_record(actor=world.officer, record=crime, **values)  # type: ignore[arg-type]
    assert message in " ".join(refused.value.message_dict[field])
    assert not InvestigationOutcome.objects.exists() and AuditEvent.objects.count() == events


def test_no_outcome_for_an_incident_or_a_centres_record_or_another_force(world: World, outcomes: None) -> None:
    incident = make_record(actor=world.officer, kind="nchi")
    with pytest.raises(ValidationError, match="Only a crime has a Home Office outcome"):
        outcome_record(actor=world.officer, record=incident, outcome_code="1", suspect_identified=True,
                       decided_on=timezone.localdate())
    centres = make_record(actor=world.caseworker)
    with pytest.raises(PermissionDenied):
        outcome_record(actor=world.caseworker, record=centres, outcome_code="1", suspect_identified=True,
                       decided_on=timezone.localdate())
    assert not InvestigationOutcome.objects.exists()


def test_the_record_page_shows_the_outcome_and_the_form_names_each_error(
    world: World, outcomes: None, client: Client
) -> None:
    crime = make_record(actor=world.officer, days_ago=3)
    client.force_login(world.officer)
    page = client.get(f"/records/{crime.pk}/").content.decode()
    assert "No outcome has been recorded." in page and f"/outcomes/records/{crime.pk}/new/" in page
    refused = client.post(f"/outcomes/records/{crime.pk}/new/", {"outcome": "", "decided_on_day": "31",
                                                                 "decided_on_month": "2", "decided_on_year": "2026"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in body
    assert "Select the outcome from the list" in body and "must be a real date" in body
    assert "Select yes if a suspect was identified" in body
    today = timezone.localdate()
    done = client.post(f"/outcomes/records/{crime.pk}/new/", {
        "outcome": "1", "decided_on_day": str(today.day), "decided_on_month": str(today.month),
        "decided_on_year": str(today.year), "suspect_identified": "yes",
    })
    assert done.status_code == 302 and done["Location"] == f"/records/{crime.pk}/"
    page = client.get(f"/records/{crime.pk}/").content.decode()
    assert "1: Charged or summonsed" in page and "Record a new outcome" in page
    assert f"Outcome recorded by officer: Charged or summonsed (suspect identified), decided {today.day} {today:%B %Y}" in page


def test_readers_see_the_outcome_but_cannot_record_one(world: World, outcomes: None, client: Client) -> None:
    crime = make_record(actor=world.officer)
    outcome_record(actor=world.officer, record=crime, outcome_code="18", suspect_identified=False,
                   decided_on=timezone.localdate())
    client.force_login(world.analyst)
    page = client.get(f"/records/{crime.pk}/").content.decode()
    assert "Investigation complete: no suspect identified" in page and "/outcomes/records/" not in page
    assert client.get(f"/outcomes/records/{crime.pk}/new/").status_code == 403


def test_a_police_crime_closes_only_with_its_outcome_an_incident_with_its_closure_reason(
    world: World, outcomes: None
) -> None:
    from umbrella.cases.services import record_change_status

    crime = make_record(actor=world.officer)
    with pytest.raises(ValidationError) as refused:
        record_change_status(actor=world.officer, record=crime, status="closed", reason="No further action")
    assert refused.value.message_dict == {"status": ["Record the crime's outcome before closing it"]}
    crime.refresh_from_db()
    assert crime.status == "recorded"
    outcome_record(actor=world.officer, record=crime, outcome_code="18", suspect_identified=False,
                   decided_on=timezone.localdate())
    assert record_change_status(actor=world.officer, record=crime, status="closed", reason="No suspect").status == "closed"
    incident = make_record(actor=world.officer, kind="nchi")
    with pytest.raises(ValidationError) as refused:
        record_change_status(actor=world.officer, record=incident, status="closed", reason="Advice given")
    assert refused.value.message_dict == {"reason_code": ["Choose why the non-crime hate incident is being closed"]}
    with pytest.raises(ValidationError) as refused:
        record_change_status(actor=world.officer, record=incident, status="closed", reason_code="outcome_assigned")
    assert refused.value.message_dict == {
        "reason_code": ["That reason is not for a non-crime hate incident: choose another from the list"]
    }
    with pytest.raises(ValidationError) as refused:
        record_change_status(actor=world.officer, record=incident, status="closed", reason_code="other")
    assert refused.value.message_dict == {"reason": ["Enter why the record is being closed: you chose another reason"]}
    incident.refresh_from_db()
    assert incident.status == "recorded" and incident.closure_reason is None
    closed = record_change_status(actor=world.officer, record=incident, status="closed", reason_code="nchi_resolved_advice")
    assert closed.status == "closed" and closed.closure_reason is not None
    assert closed.closure_reason.label == "Resolved with advice or reassurance"
    reopened = record_change_status(actor=world.officer, record=incident, status="under_investigation")
    assert reopened.closure_reason is None
    centres = make_record(actor=world.caseworker)
    assert record_change_status(actor=world.caseworker, record=centres, status="closed", reason="Passed on").status == "closed"


def test_the_api_records_and_lists_outcomes_with_problems_naming_fields(world: World, outcomes: None) -> None:
    from rest_framework.test import APIClient

    crime = make_record(actor=world.officer, days_ago=5)
    client = APIClient()
    client.force_authenticate(world.officer)
    url = f"/api/v1/records/{crime.pk}/outcomes/"
    refused = client.post(url, {"outcome": "99", "decided_on": "2100-01-01", "suspect_identified": True}, format="json")
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert {error["pointer"] for error in refused.json()["errors"]} == {"/outcome", "/decided_on"}
    assert not InvestigationOutcome.objects.exists()
    made = client.post(url, {"outcome": "18", "decided_on": timezone.localdate().isoformat(),
                             "suspect_identified": False}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["group"] == "no_suspect_identified" and made.json()["outcome_label"].startswith("Investigation")
    listed = client.get(url).json()
    assert [row["outcome"] for row in listed] == ["18"]
    reader = APIClient()
    reader.force_authenticate(world.analyst)
    assert reader.get(url).status_code == 200
    assert reader.post(url, {}, format="json").status_code == 403
    outsider = APIClient()
    outsider.force_authenticate(world.outsider)
    assert outsider.get(url).status_code == 404


def test_an_outcome_starts_the_timer_to_tell_the_victim_and_a_contact_meets_it(world: World, outcomes: None) -> None:
    from umbrella.care.models import KeyEvent, Timer, TimerKind, TimerStatus
    from umbrella.care.services import victim_contact_record

    crime = make_record(actor=world.officer, days_ago=3)
    outcome_record(actor=world.officer, record=crime, outcome_code="1", suspect_identified=True,
                   decided_on=timezone.localdate())
    timer = Timer.objects.get(record=crime, kind=TimerKind.KEY_EVENT_UPDATE)
    assert timer.key_event is not None and timer.key_event.event == KeyEvent.OUTCOME
    assert timer.status == TimerStatus.OPEN and timer.due_at > timezone.now()  # 5 working days: standard rights
    victim_contact_record(actor=world.officer, record=crime, method="phone", summary="Told her he was charged",
                          contacted_at=timezone.now())
    timer.refresh_from_db()
    assert timer.met_at is not None
    # Other crime (no Victims' Code duties here) gets an outcome and no timer.
    other = make_record(actor=world.officer, kind="other_crime", strands=[])
    outcome_record(actor=world.officer, record=other, outcome_code="18", suspect_identified=False,
                   decided_on=timezone.localdate())
    assert not Timer.objects.filter(record=other, kind=TimerKind.KEY_EVENT_UPDATE).exists()
