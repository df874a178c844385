"""Who sees which record through the API: the same scoping as the pages, out of scope is 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.api.helpers import assert_problem, detail_url, list_url, share
from tests.factories import make_record, strand
from umbrella.audit.models import AuditEvent
from umbrella.cases import actions as record_actions
from umbrella.cases.models import ShareScope

pytestmark = pytest.mark.django_db


def listed_ids(client, **query: str) -> set[int]:
    response = client.get(list_url(**query))
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_an_officer_sees_their_forces_records_and_not_another_forces(world, codes, api):
    own = make_record(actor=world.officer)
    other_force = make_record(actor=world.outsider)

    client = api(world.officer)

    assert listed_ids(client) == {own.pk}
    assert client.get(detail_url(own)).status_code == 200
    body = assert_problem(client.get(detail_url(other_force)), 404)
    assert other_force.reference not in str(body)


def test_another_forces_officer_gets_nothing_of_ours(world, codes, api):
    ours = make_record(actor=world.officer)

    client = api(world.outsider)

    assert listed_ids(client) == set()
    assert_problem(client.get(detail_url(ours)), 404)
    assert_problem(client.patch(detail_url(ours), {"row_version": 1, "kind": "other_crime"}, format="json"), 404)


def test_out_of_scope_reads_the_same_as_a_record_that_does_not_exist(world, codes, api):
    theirs = make_record(actor=world.outsider)
    client = api(world.officer)

    hidden = assert_problem(client.get(detail_url(theirs)), 404)
    missing = assert_problem(client.get(detail_url(theirs.pk + 10_000)), 404)

    for body in (hidden, missing):
        body.pop("instance")
    assert hidden == missing


def test_a_caseworker_of_another_centre_gets_404_on_a_centre_record(world, codes, api):
    centre_record = make_record(actor=world.caseworker)

    assert listed_ids(api(world.caseworker)) == {centre_record.pk}
    assert api(world.caseworker).get(detail_url(centre_record)).status_code == 200
    other = api(world.other_caseworker)
    assert listed_ids(other) == set()
    assert_problem(other.get(detail_url(centre_record)), 404)
    assert_problem(other.post(f"{detail_url(centre_record)}status/", {"status": "closed", "reason": "x"}, format="json"), 404)


def test_police_cannot_see_an_unshared_centre_record_until_it_is_shared(world, codes, api):
    centre_record = make_record(actor=world.caseworker)
    client = api(world.officer)

    assert centre_record.pk not in listed_ids(client)
    assert_problem(client.get(detail_url(centre_record)), 404)

    share(centre_record, world.force, granted_by=world.caseworker)

    assert centre_record.pk in listed_ids(client)
    response = client.get(detail_url(centre_record))
    assert response.status_code == 200
    body = response.json()
    assert body["access"] == "full"
    assert body["people"][0]["given_name"] == "Amina"


def test_a_revoked_share_hides_the_record_again(world, codes, api):
    centre_record = make_record(actor=world.caseworker)
    grant = share(centre_record, world.force, granted_by=world.caseworker)
    grant.revoked_at = timezone.now()
    grant.save()

    assert_problem(api(world.officer).get(detail_url(centre_record)), 404)


def test_an_anonymised_share_shows_the_incident_without_identities(world, codes, api):
    centre_record = make_record(actor=world.caseworker)
    share(centre_record, world.force, scope=ShareScope.ANONYMISED, granted_by=world.caseworker)

    response = api(world.officer).get(detail_url(centre_record))

    assert response.status_code == 200
    body = response.json()
    assert body["access"] == "anonymised"
    person = body["people"][0]
    assert person["display_name"] == "Victim (anonymised)"
    for field in ("given_name", "family_name", "date_of_birth", "email", "phone", "address", "postcode"):
        assert field not in person
    assert "Amina" not in response.content.decode()
    assert "Okafor" not in response.content.decode()
    assert "07700" not in response.content.decode()


def test_an_analyst_sees_pseudonyms_not_identities(world, codes, api):
    record = make_record(actor=world.officer)

    first = api(world.analyst).get(detail_url(record))
    again = api(world.analyst).get(detail_url(record))

    assert first.status_code == 200
    body = first.json()
    assert body["access"] == "pseudonymised"
    person = body["people"][0]
    assert person["display_name"].startswith("Person ")
    assert "given_name" not in person
    text = first.content.decode()
    assert "Amina" not in text and "Okafor" not in text and "07700" not in text
    # Stable: the same person has the same pseudonym every time.
    assert again.json()["people"][0]["display_name"] == person["display_name"]
    assert record.pk in listed_ids(api(world.analyst))


def test_an_analyst_cannot_change_a_record(world, codes, api):
    record = make_record(actor=world.officer)

    body = assert_problem(
        api(world.analyst).patch(detail_url(record), {"row_version": record.row_version, "kind": "other_crime"}, format="json"),
        403,
    )

    assert "cannot change records" in body["detail"]
    record.refresh_from_db()
    assert record.kind == "hate_crime"


def test_a_hub_reviewer_sees_only_flagged_records_of_their_force(world, codes, api):
    flagged = make_record(actor=world.officer, strands=[strand("race")])
    unflagged = make_record(actor=world.officer, strands=[], kind="other_crime")

    client = api(world.hub_reviewer)

    assert listed_ids(client) == {flagged.pk}
    assert client.get(detail_url(flagged)).status_code == 200
    assert_problem(client.get(detail_url(unflagged)), 404)


def test_a_call_handler_sees_only_what_they_recorded(world, codes, api):
    theirs = make_record(actor=world.call_handler)
    officers = make_record(actor=world.officer)

    client = api(world.call_handler)

    assert listed_ids(client) == {theirs.pk}
    assert_problem(client.get(detail_url(officers)), 404)


@pytest.mark.parametrize("persona", ["scrutiny_member", "org_admin", "system_admin"])
def test_roles_without_record_access_get_nothing(world, codes, api, persona):
    record = make_record(actor=world.officer)
    client = api(getattr(world, persona))

    body = assert_problem(client.get(list_url()), 403)
    assert "individual records" in body["detail"]
    # One record: out of scope, so the same 404 as a record that does not exist.
    assert_problem(client.get(detail_url(record)), 404)
    assert_problem(client.get(detail_url(record.pk + 999)), 404)
    # Writes: the role is refused before the record or the body is looked at.
    for response in (
        client.post(list_url(), {}, format="json"),
        client.patch(detail_url(record), {}, format="json"),
        client.patch(detail_url(record.pk + 999), {}, format="json"),
        client.post(f"{detail_url(record)}status/", {}, format="json"),
    ):
        body = assert_problem(response, 403)
        assert "cannot change records" in body["detail"]
        assert record.reference not in str(body)
    assert not AuditEvent.objects.filter(action=record_actions.RECORD_VIEW).exists()


def test_anonymous_callers_are_asked_to_authenticate(world, codes, api):
    record = make_record(actor=world.officer)
    client = api(None)

    for response in (
        client.get(list_url()),
        client.get(detail_url(record)),
        client.post(list_url(), {}, format="json"),
        client.get("/api/v1/reference/"),
    ):
        body = assert_problem(response, 401)
        assert response["WWW-Authenticate"] == "Token"
        assert record.reference not in str(body)
