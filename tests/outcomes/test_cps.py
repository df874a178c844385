"""The Crown Prosecution Service as a partner: a force shares a crime with the CPS in full, and the
CPS's users record their charging decisions and the court's result on it, with the same checks as
the force's; the force's timer to tell the victim starts. Without the share the CPS sees nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import OrganisationFactory, UserFactory, code, make_record
from tests.outcomes.test_outcomes import outcomes  # noqa: F401 - the fixture
from umbrella.accounts.models import Role
from umbrella.agencies.models import OrganisationKind
from umbrella.outcomes.models import ChargingDecision, CourtResult
from umbrella.outcomes.services import charging_decision_record, court_result_record, outcome_record
from umbrella.sharing.services import share_grant


@pytest.fixture
def prosecutor(world: World):  # type: ignore[no-untyped-def]
    code("offence", "8M", "Harassment")
    cps = OrganisationFactory(name="Crown Prosecution Service London", slug="cps-london", reference_prefix="CPS",
                              kind=OrganisationKind.CPS)
    return UserFactory(username="prosecutor", organisation=cps, role=Role.PARTNER_CASEWORKER)


def _shared_crime(world: World, prosecutor, scope: str = "full"):  # type: ignore[no-untyped-def]
    crime = make_record(actor=world.officer, days_ago=20)
    share_grant(actor=world.officer, record=crime, organisation=prosecutor.organisation, scope=scope,
                reason="Passed to the CPS for a charging decision", legal_basis="Prosecution of offences")
    return crime


def test_the_cps_records_its_charge_and_the_conviction_on_a_crime_shared_with_it(
    world: World, outcomes: None, prosecutor  # noqa: F811
) -> None:
    from umbrella.care.models import KeyEvent, Timer, TimerKind

    crime = _shared_crime(world, prosecutor)
    today = timezone.localdate()
    decision = charging_decision_record(actor=prosecutor, record=crime, decision="charge", decided_by="cps",
                                        decided_on=today - timedelta(days=10))
    result = court_result_record(actor=prosecutor, record=crime, result="convicted", decided_on=today,
                                 offence_code="8M", uplift_applied=True, uplift_announced=True)
    assert decision.recorded_by == prosecutor and result.recorded_by == prosecutor
    # The force's timer to tell the victim started, as when the force records it.
    events = set(Timer.objects.filter(record=crime, kind=TimerKind.KEY_EVENT_UPDATE).values_list("key_event__event", flat=True))
    assert KeyEvent.CHARGE in events
    # The police's own decisions stay the police's: the CPS records only the CPS's, and no Home Office outcome.
    with pytest.raises(ValidationError) as not_theirs:
        charging_decision_record(actor=prosecutor, record=crime, decision="nfa_evidential", decided_by="police",
                                 decided_on=today)
    assert "select the Crown Prosecution Service" in str(not_theirs.value)
    with pytest.raises(PermissionDenied):
        outcome_record(actor=prosecutor, record=crime, outcome_code="1", decided_on=today, suspect_identified=True)


def test_without_a_full_share_the_cps_records_nothing(world: World, outcomes: None, prosecutor) -> None:  # noqa: F811
    from umbrella.cases.models import Record

    unshared = make_record(actor=world.officer, days_ago=20)
    with pytest.raises((PermissionDenied, Record.DoesNotExist)):
        charging_decision_record(actor=prosecutor, record=unshared, decision="charge", decided_by="cps",
                                 decided_on=timezone.localdate())
    anonymised = _shared_crime(world, prosecutor, scope="anonymised")
    with pytest.raises(PermissionDenied):
        charging_decision_record(actor=prosecutor, record=anonymised, decision="charge", decided_by="cps",
                                 decided_on=timezone.localdate())
    assert not ChargingDecision.objects.filter(record__in=[unshared, anonymised]).exists()


def test_the_cps_uses_the_same_pages_and_api(world: World, outcomes: None, prosecutor, client: Client) -> None:  # noqa: F811
    crime = _shared_crime(world, prosecutor)
    unshared = make_record(actor=world.officer, days_ago=20)
    client.force_login(prosecutor)
    detail = client.get(reverse("cases:record-detail", args=[crime.pk])).content.decode()
    assert "Record a charging decision" in detail and "Record the outcome" not in detail
    assert client.get(reverse("outcomes:charging-add", args=[unshared.pk])).status_code == 404
    assert client.get(reverse("outcomes:outcome-add", args=[crime.pk])).status_code == 403
    today = timezone.localdate()
    done = client.post(reverse("outcomes:charging-add", args=[crime.pk]), {
        "decision": "charge", "decided_by": "cps",
        "decided_on_day": today.day, "decided_on_month": today.month, "decided_on_year": today.year,
    })
    assert done.status_code == 302 and ChargingDecision.objects.filter(record=crime, recorded_by=prosecutor).exists()
    answer = client.post(f"/api/v1/records/{crime.pk}/court-results/", {"result": "acquitted", "decided_on": today.isoformat()},
                         content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert CourtResult.objects.filter(record=crime, result="acquitted").exists()


def test_a_force_refers_a_crime_to_the_cps_without_consent_on_the_law_enforcement_basis(
    world: World, outcomes: None, prosecutor, client: Client  # noqa: F811
) -> None:
    from umbrella.care.models import Referral
    from umbrella.care.services import PROSECUTION_LEGAL_BASIS, referral_create
    from umbrella.cases.models import RecordShare

    crime = make_record(actor=world.officer, days_ago=20)
    client.force_login(world.officer)
    url = reverse("care:referral-create", args=[crime.pk])
    page = client.get(url).content.decode()
    assert f'<option value="{prosecutor.organisation.pk}"' in page and "needs no consent" in page
    response = client.post(url, {"to_organisation": prosecutor.organisation.pk, "reason": "Charging decision"})
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get(record=crime)
    assert referral.consent is None and not referral.override_reason and referral.overridden_by is None
    share = RecordShare.objects.get(pk=referral.share_id)
    assert share.scope == "full" and share.legal_basis == PROSECUTION_LEGAL_BASIS
    # Now the CPS records its decision on the crime, as on any crime shared with it.
    charging_decision_record(actor=prosecutor, record=crime, decision="charge", decided_by="cps",
                             decided_on=timezone.localdate())
    # An incident has no charging decision, and a centre's record is not a police crime.
    for record, actor in ((make_record(actor=world.officer, kind="nchi"), world.officer),
                          (make_record(actor=world.caseworker), world.caseworker)):
        with pytest.raises(ValidationError) as refused:
            referral_create(actor=actor, record=record, to_organisation=prosecutor.organisation, reason="Charging")
        assert refused.value.message_dict == {
            "to_organisation": ["Only a crime the police recorded can be passed to the Crown Prosecution Service"]
        }
        page = client.get(reverse("care:referral-create", args=[record.pk])).content.decode() if actor == world.officer else ""
        assert f'<option value="{prosecutor.organisation.pk}"' not in page
