"""The pages: a handler records a request, confirms the person proposed, downloads the bundle and
closes the request; bad input is shown with the error summary and stores nothing; another
organisation's request is not found."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from tests.conftest import World
from tests.factories import make_record
from umbrella.cases.inputs import PersonInput
from umbrella.subject_access.models import MatchStatus, RequestStatus, SubjectMatch, SubjectRequest

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_handler_records_confirms_downloads_and_closes(world: World) -> None:
    record = make_record(actor=world.officer, narrative="Amina Okafor was spat at. Sam Price saw it.", people=[
        PersonInput(role="victim", given_name="Amina", family_name="Okafor", date_of_birth=date(1990, 4, 12)),
        PersonInput(role="witness", given_name="Sam", family_name="Price"),
    ])
    client = signed_in(world.supervisor)
    assert 'href="/subject-access/"' in client.get("/").content.decode()  # in the handler's navigation
    assert 'href="/subject-access/"' not in signed_in(world.officer).get("/").content.decode()
    response = client.post("/subject-access/new/", {
        "kind": "access", "received_on_day": "5", "received_on_month": "1", "received_on_year": "2026",
        "given_name": "Amina", "family_name": "Okafor",
        "date_of_birth_day": "12", "date_of_birth_month": "4", "date_of_birth_year": "1990",
    })
    request = SubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/subject-access/{request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "5 February 2026" in page and "12 April 1990" in page and record.reference in page
    assert f'href="/records/{record.pk}/"' in page
    # An organisation administrator handles requests but does not read records: the reference, no link to a 404.
    as_admin = signed_in(world.org_admin).get(response["Location"]).content.decode()
    assert record.reference in as_admin and f'href="/records/{record.pk}/"' not in as_admin
    match = SubjectMatch.objects.get(request=request)
    assert client.post(f"/subject-access/{request.pk}/matches/{match.pk}/", {"decision": "confirm"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED

    pdf = client.get(f"/subject-access/{request.pk}/bundle.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store"
    bundle = json.loads(client.get(f"/subject-access/{request.pk}/bundle.json").content)
    assert [r["reference"] for r in bundle["records"]] == [record.reference]
    assert "Sam" not in json.dumps(bundle) and "[Witness] saw it" in bundle["records"][0]["what_happened"]

    closed = client.post(f"/subject-access/{request.pk}/", {"status": "completed", "reason": "Sent by secure e-mail"})
    assert closed.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


def test_bad_input_is_shown_on_the_form_and_nothing_is_stored(world: World) -> None:
    client = signed_in(world.supervisor)
    response = client.post("/subject-access/new/", {"kind": "access", "received_on_day": "5", "received_on_month": "1",
                                                    "received_on_year": "2026", "given_name": "Amina"})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "or their e-mail address or phone number" in page
    assert not SubjectRequest.objects.exists()


def test_another_organisations_request_is_not_found(world: World) -> None:
    from tests.factories import UserFactory
    from umbrella.accounts.models import Role

    request = SubjectRequest.objects.create(organisation=world.force, kind="access", received_on=date(2026, 1, 5),
                                            due_on=date(2026, 2, 5))
    other_supervisor = UserFactory(role=Role.SUPERVISOR, organisation=world.other_force)
    client = signed_in(other_supervisor)
    for address in (f"/subject-access/{request.pk}/", f"/subject-access/{request.pk}/bundle.pdf",
                    f"/subject-access/{request.pk}/bundle.json"):
        assert client.get(address).status_code == 404
    assert request.reference not in client.get("/subject-access/").content.decode()


def test_a_handler_extends_the_deadline_from_the_request_page(world: World) -> None:
    from django.utils import timezone

    from umbrella.subject_access.services import subject_request_open

    request = subject_request_open(actor=world.supervisor, kind="access", received_on=timezone.localdate(),
                                   email="a@example.org")
    client = signed_in(world.supervisor)
    page = client.get(f"/subject-access/{request.pk}/").content.decode()
    assert "Extend the deadline" in page and 'name="ground"' in page
    assert client.post(f"/subject-access/{request.pk}/extend/", {}).status_code == 302  # no ground: a message, nothing changed
    request.refresh_from_db()
    assert request.first_due_on is None
    client.post(f"/subject-access/{request.pk}/extend/", {"ground": "numerous"})
    request.refresh_from_db()
    page = client.get(f"/subject-access/{request.pk}/").content.decode()
    assert request.first_due_on is not None and "the person has made a number of requests" in page
    assert "Extend the deadline" not in page and "Tell the person, and why" in page
