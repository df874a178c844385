"""API tokens: issued and revoked only by the api_token command, audited, never logged."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.helpers import assert_problem, detail_url, list_url
from tests.factories import make_record
from umbrella.accounts.models import ApiToken
from umbrella.api.management.commands.api_token import Command as ApiTokenCommand
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def api_token(*args: str) -> str:
    out = io.StringIO()
    call_command(ApiTokenCommand(), *args, stdout=out)
    return out.getvalue().strip()


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_command_issues_a_token_that_authenticates_and_is_audited(world, codes, caplog):
    record = make_record(actor=world.officer)
    caplog.set_level(logging.DEBUG)

    key = api_token("officer")

    stored = ApiToken.objects.get(user=world.officer)
    assert stored.digest == ApiToken.digest_of(key) and key not in stored.digest  # only the digest is kept
    assert stored.expires_at > timezone.now()
    client = token_client(key)
    listed = client.get(list_url())
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [record.pk]
    assert client.get(detail_url(record)).json()["people"][0]["given_name"] == "Amina"
    event = AuditEvent.objects.get(action=actions.API_TOKEN_ISSUE)
    assert event.target_label == "officer"
    assert key not in str(event.changes) and key not in event.target_label
    assert key not in caplog.text


def test_asking_again_is_refused_and_rotate_replaces_it(world):
    first = api_token("officer")

    with pytest.raises(CommandError, match="already has an API token"):
        api_token("officer")
    rotated = api_token("officer", "--rotate")

    assert rotated != first
    assert_problem(token_client(first).get(list_url()), 401)
    assert token_client(rotated).get(list_url()).status_code == 200
    assert AuditEvent.objects.filter(action=actions.API_TOKEN_ISSUE).count() == 2


def test_an_expired_token_no_longer_works(world):
    key = api_token("officer", "--days", "1")
    assert token_client(key).get(list_url()).status_code == 200

    ApiToken.objects.update(expires_at=timezone.now())

    assert_problem(token_client(key).get(list_url()), 401)


def test_a_revoked_token_no_longer_works(world):
    key = api_token("officer")

    message = api_token("officer", "--revoke")

    assert key not in message
    assert not ApiToken.objects.filter(user=world.officer, revoked_at__isnull=True).exists()
    assert_problem(token_client(key).get(list_url()), 401)
    assert AuditEvent.objects.filter(action=actions.API_TOKEN_REVOKE, target_label="officer").count() == 1
    with pytest.raises(CommandError, match="has no API token"):
        api_token("officer", "--revoke")


def test_no_token_for_unknown_inactive_or_roleless_users(world):
    world.caseworker.is_active = False
    world.caseworker.save()
    world.org_admin.role = ""
    world.org_admin.save()

    for username, reason in (("nobody", "no user"), ("caseworker", "deactivated"), ("org.admin", "no role")):
        with pytest.raises(CommandError, match=reason):
            api_token(username)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=actions.API_TOKEN_ISSUE).exists()


def test_a_token_of_a_user_deactivated_later_stops_working(world):
    key = api_token("officer")
    world.officer.is_active = False
    world.officer.save()

    assert_problem(token_client(key).get(list_url()), 401)


def test_a_wrong_token_is_a_401_problem_that_does_not_echo_it(world):
    response = token_client("0123456789abcdef0123456789abcdef01234567").get(list_url())

    body = assert_problem(response, 401)
    assert "0123456789abcdef" not in response.content.decode()
    assert body["title"] == "Sign in required"


def test_token_writes_need_no_csrf_token(world, codes):
    client = token_client(api_token("officer", "--scope", "write"))
    client.handler.enforce_csrf_checks = True

    response = client.post(
        list_url(),
        {"kind": "hate_crime", "reported_at": "2025-01-01T10:00:00Z", "narrative": "Abuse shouted.",
         "borough": "E09000033", "strands": [{"strand": "race", "perceiver": "victim"}]},
        format="json",
    )

    assert response.status_code == 201, response.content


def test_a_token_gives_a_scrutiny_member_no_records(world, codes):
    record = make_record(actor=world.officer)

    client = token_client(api_token("scrutiny"))
    assert_problem(client.get(list_url()), 403)
    assert_problem(client.get(detail_url(record)), 404)


def test_the_command_is_installed_as_umbrella_api_token():
    assert get_commands().get("api_token") == "umbrella.api"


def test_a_read_only_token_reads_and_is_refused_any_write(world, codes):
    from rest_framework.test import APIClient

    from tests.factories import make_record
    from umbrella.accounts.services import api_token_issue
    from umbrella.cases.models import Record

    record = make_record(actor=world.officer)
    key = api_token_issue(user=world.officer)  # read only unless asked otherwise
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/records/").status_code == 200
    before = Record.objects.get(pk=record.pk).row_version
    refused = client.patch(f"/api/v1/records/{record.pk}/", {"narrative": "Changed"}, format="json")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/problem+json")
    assert "may only read" in refused.json()["detail"]
    assert Record.objects.get(pk=record.pk).row_version == before
    writer = api_token_issue(user=world.officer, rotate=True, scope="write")
    client.credentials(HTTP_AUTHORIZATION=f"Token {writer}")
    assert client.patch(f"/api/v1/records/{record.pk}/", {"narrative": "Changed"}, format="json").status_code != 403


def test_the_command_issues_a_write_token_only_when_asked(world):
    from io import StringIO

    from django.core.management import call_command

    from umbrella.accounts.models import ApiToken

    call_command("api_token", "officer", stdout=StringIO())
    assert ApiToken.objects.get(user=world.officer).scope == "read"
    call_command("api_token", "officer", "--rotate", "--scope", "write", stdout=StringIO())
    assert ApiToken.objects.get(user=world.officer, revoked_at__isnull=True).scope == "write"
