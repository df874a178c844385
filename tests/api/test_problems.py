"""Every failure under /api/v1/ is an RFC 9457 problem, whatever the cause."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.helpers import assert_problem, detail_url, list_url, pointers
from tests.factories import make_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/nothing-here/", "/api/v1/records/abc/", "/api/v1/records/1/people/2/", "/api/v1/records"],
)
def test_unknown_addresses_are_404_problems_not_html(world, api, path):
    for client in (api(world.officer), api(None)):
        body = assert_problem(client.get(path), 404)
        assert body["type"] == "about:blank"
        assert_problem(client.post(path, {}, format="json"), 404)


def test_a_method_an_endpoint_does_not_have_is_a_405_problem(world, codes, api):
    record = make_record(actor=world.officer)
    client = api(world.officer)

    for response in (
        client.delete(list_url()),
        client.delete(detail_url(record)),
        client.get(f"{detail_url(record)}status/"),
        client.options(list_url()),
    ):
        assert_problem(response, 405)


def test_a_body_that_is_not_json_is_a_415_problem_and_stores_nothing(world, codes, api):
    client = api(world.officer)

    response = client.post(list_url(), "kind=hate_crime&narrative=x", content_type="application/x-www-form-urlencoded")

    assert_problem(response, 415)
    assert client.get(list_url()).json()["count"] == 0


def test_malformed_json_is_a_400_problem(world, codes, api):
    response = api(world.officer).post(list_url(), '{"kind": ', content_type="application/json")

    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_a_session_write_without_a_csrf_token_is_a_403_problem(world, codes):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.officer)

    body = assert_problem(client.post(list_url(), {"kind": "hate_crime"}, format="json"), 403)

    assert "CSRF" in body["detail"]


def test_a_validation_problem_lists_each_field_with_a_pointer(world, codes, api):
    response = api(world.officer).post(
        list_url(), {"kind": "x", "reported_at": "later", "narrative": "y", "strands": [{"strand": "race"}]}, format="json"
    )

    body = assert_problem(response, 400)
    assert body["title"] == "Your request has errors"
    assert pointers(body) == {"/kind", "/reported_at", "/strands/0/perceiver"}
    assert all(error["detail"] for error in body["errors"])


def test_the_problem_instance_is_the_request_id(world, codes, api):
    response = api(world.officer).get(detail_url(12345), HTTP_X_REQUEST_ID="trace-me-42")

    body = assert_problem(response, 404)
    assert body["instance"] == "urn:umbrella:request:trace-me-42"
    assert response["X-Request-ID"] == "trace-me-42"
