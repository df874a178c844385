"""Referrals: consent is checked on the server (service, page and API); overrides need a
permission and a reason and alert supervisors; declining ends the receiver's view of the record."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.care.factories import council, give_consent, victim_service
from tests.conftest import World
from tests.factories import UserFactory, make_record
from umbrella.accounts.models import Role
from umbrella.care.models import Alert, Referral, ReferralStatus, Timer, TimerKind, TimerStatus
from umbrella.care.selectors import alerts_for, referral_view
from umbrella.care.services import (
    referral_accept,
    referral_close,
    referral_create,
    referral_decline,
)
from umbrella.cases.models import Record, RecordShare
from umbrella.consent.models import ConsentDecision, ConsentScope

pytestmark = pytest.mark.django_db


def test_referral_without_consent_is_refused(world: World) -> None:
    record = make_record(actor=world.officer)
    service = victim_service()
    with pytest.raises(ValidationError) as caught:
        referral_create(actor=world.officer, record=record, to_organisation=service, reason="Needs support")
    assert "has not consented" in str(caught.value.message_dict["consent_reference"])
    assert not Referral.objects.exists()
    assert not RecordShare.objects.filter(organisation=service).exists()


def test_refused_or_withdrawn_consent_does_not_count(world: World) -> None:
    record = make_record(actor=world.officer)
    give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL,
                 decision=ConsentDecision.WITHDRAWN)
    with pytest.raises(ValidationError):
        referral_create(actor=world.officer, record=record, to_organisation=victim_service(), reason="Support")


def test_consent_for_another_scope_does_not_allow_the_referral(world: World) -> None:
    record = make_record(actor=world.officer)
    consent = give_consent(actor=world.officer, record=record, scope=ConsentScope.PARTNER_REFERRAL)
    with pytest.raises(ValidationError) as caught:
        referral_create(actor=world.officer, record=record, to_organisation=victim_service(), reason="Support",
                        consent_reference=consent.reference)
    assert "consent_reference" in caught.value.message_dict


def test_referral_with_consent_shares_the_record_and_meets_the_referral_timer(world: World) -> None:
    record = make_record(actor=world.officer)
    consent = give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    service = victim_service()
    referral = referral_create(actor=world.officer, record=record, to_organisation=service, reason="Wants support")
    assert referral.status == ReferralStatus.SENT
    assert referral.consent == consent and referral.consent_reference == consent.reference
    assert not referral.overridden
    caseworker = UserFactory(username="vs.worker", organisation=service, role=Role.PARTNER_CASEWORKER)
    assert Record.objects.visible_to(caseworker).filter(pk=record.pk).exists()
    timer = Timer.objects.get(record=record, kind=TimerKind.REFERRAL)
    assert timer.status == TimerStatus.MET and timer.met_by_referral == referral
    assert referral_view(user=caseworker, referral=referral).reason == "Wants support"


def test_police_anonymised_consent_gives_an_anonymised_share(world: World) -> None:
    record = make_record(actor=world.caseworker)
    give_consent(actor=world.caseworker, record=record, scope=ConsentScope.POLICE_ANONYMISED)
    referral = referral_create(actor=world.caseworker, record=record, to_organisation=world.force, reason="Pattern")
    assert referral.share is not None and referral.share.scope == "anonymised"


def test_override_needs_the_permission(world: World) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(PermissionDenied):
        referral_create(actor=world.officer, record=record, to_organisation=council(), reason="Housing",
                        override_reason="Safeguarding risk to children")
    assert not Referral.objects.exists()


def test_override_needs_a_reason(world: World) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(ValidationError):
        referral_create(actor=world.supervisor, record=record, to_organisation=council(), reason="Housing")


def test_override_by_a_supervisor_is_made_marked_and_alerts_supervisors(world: World) -> None:
    record = make_record(actor=world.officer)
    referral = referral_create(actor=world.supervisor, record=record, to_organisation=council(), reason="Housing",
                               override_reason="Safeguarding risk to children")
    assert referral.overridden and referral.overridden_by == world.supervisor
    alert = Alert.objects.get()
    assert alert.organisation == world.force and alert.role == Role.SUPERVISOR
    assert "Safeguarding" not in alert.message and record.reference in alert.message
    other_supervisor = UserFactory(username="super2", organisation=world.force, role=Role.SUPERVISOR)
    assert list(alerts_for(other_supervisor)) == [alert]
    assert not alerts_for(world.officer).exists()
    client = Client()
    client.force_login(other_supervisor)
    page = client.get(reverse("care:worklist"))
    assert referral.reference in page.content.decode()


def test_decline_revokes_the_share_and_close_records_the_outcome(world: World) -> None:
    record = make_record(actor=world.officer)
    give_consent(actor=world.officer, record=record, scope=ConsentScope.PARTNER_REFERRAL)
    housing = council()
    worker = UserFactory(username="council.worker", organisation=housing, role=Role.PARTNER_CASEWORKER)
    referral = referral_create(actor=world.officer, record=record, to_organisation=housing, reason="Housing move")
    assert Record.objects.visible_to(worker).filter(pk=record.pk).exists()
    with pytest.raises(ValidationError):
        referral_decline(actor=worker, referral=referral, reason="")
    referral_decline(actor=worker, referral=referral, reason="Outside our area")
    assert not Record.objects.visible_to(worker).filter(pk=record.pk).exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.responded_by == worker

    second = referral_create(actor=world.officer, record=record, to_organisation=housing, reason="Again")
    with pytest.raises(Referral.DoesNotExist):
        referral_accept(actor=world.outsider, referral=second)
    referral_accept(actor=worker, referral=second)
    referral_close(actor=worker, referral=second, outcome="Moved to a new flat")
    second.refresh_from_db()
    assert second.status == ReferralStatus.CLOSED
    assert referral_view(user=worker, referral=second).outcome == "Moved to a new flat"
    assert Record.objects.visible_to(worker).filter(pk=record.pk).exists()


def test_page_refuses_a_referral_without_consent(world: World) -> None:
    record = make_record(actor=world.officer)
    service = victim_service()
    client = Client()
    client.force_login(world.officer)
    url = reverse("care:referral-create", args=[record.pk])
    response = client.post(url, {"to_organisation": service.pk, "reason": "Support"})
    assert response.status_code == 400
    assert "has not consented" in response.content.decode()
    assert not Referral.objects.exists()
    give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    response = client.post(url, {"to_organisation": service.pk, "reason": "Support"})
    assert response.status_code == 302
    assert Referral.objects.count() == 1


def test_api_refuses_a_referral_without_consent(world: World) -> None:
    record = make_record(actor=world.officer)
    service = victim_service()
    client = Client()
    client.force_login(world.officer)
    url = reverse("care-api:referral-create")
    body = {"record_id": record.pk, "to_organisation_id": service.pk, "reason": "Support"}
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert any(error["pointer"] == "/consent_reference" for error in response.json()["errors"])
    override = client.post(url, data=json.dumps({**body, "override_reason": "Risk"}), content_type="application/json")
    assert override.status_code == 403
    assert not Referral.objects.exists()
    give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["reference"].startswith("REF-")


def test_api_hides_records_out_of_scope(world: World) -> None:
    record = make_record(actor=world.caseworker)
    client = Client()
    client.force_login(world.officer)
    body = {"record_id": record.pk, "to_organisation_id": world.force.pk, "reason": "x"}
    response = client.post(reverse("care-api:referral-create"), data=json.dumps(body), content_type="application/json")
    assert response.status_code == 404


def test_receiving_organisation_answers_through_the_pages(world: World) -> None:
    record = make_record(actor=world.officer)
    give_consent(actor=world.officer, record=record, scope=ConsentScope.CENTRE_CONTACT)
    referral = referral_create(actor=world.officer, record=record, to_organisation=world.centre, reason="Community help")
    client = Client()
    client.force_login(world.caseworker)
    incoming = client.get(reverse("care:referrals-incoming"))
    assert referral.reference in incoming.content.decode()
    detail = client.get(reverse("care:referral-detail", args=[referral.pk]))
    assert "Community help" in detail.content.decode()
    assert client.post(reverse("care:referral-accept", args=[referral.pk])).status_code == 302
    assert client.post(reverse("care:referral-close", args=[referral.pk]), {"outcome": ""}).status_code == 400
    assert client.post(reverse("care:referral-close", args=[referral.pk]), {"outcome": "Helped"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    other = Client()
    other.force_login(world.other_caseworker)
    assert other.get(reverse("care:referral-detail", args=[referral.pk])).status_code == 404
