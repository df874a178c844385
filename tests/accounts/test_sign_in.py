from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
SIGN_IN = "/accounts/sign-in/"


def sign_in(client, username: str, password: str):
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_the_right_password_signs_in_and_is_audited(client, world):
    response = sign_in(client, "officer", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action=actions.USER_SIGN_IN, actor_id=world.officer.pk).exists()


def test_a_wrong_password_gives_a_summary_that_does_not_say_whether_the_user_exists(client, world):
    wrong = sign_in(client, "officer", "not-the-password").content.decode()
    unknown = sign_in(client, "nobody-at-all", "not-the-password").content.decode()
    assert "govuk-error-summary" in wrong and "<title>Error:" in wrong
    assert "Enter a correct username and password" in wrong and "Enter a correct username and password" in unknown


@override_settings(UMBRELLA_MAX_FAILED_SIGN_INS=3, UMBRELLA_LOCKOUT_MINUTES=15)
def test_repeated_failures_lock_the_account_even_against_the_right_password(client, world):
    for _ in range(3):
        sign_in(client, "officer", "guess")
    world.officer.refresh_from_db()
    assert world.officer.locked_until is not None
    assert AuditEvent.objects.filter(action=actions.USER_LOCKED_OUT, target_id=str(world.officer.pk)).count() == 1
    response = sign_in(client, "officer", TEST_PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@override_settings(UMBRELLA_IDLE_TIMEOUT_MINUTES=1)
def test_an_idle_session_is_signed_out(client, world, monkeypatch):
    client.force_login(world.officer)
    assert client.get(reverse("cases:record-list")).status_code == 200
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("cases:record-list"))
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_production_hashes_passwords_with_argon2(settings):
    assert settings.PASSWORD_HASHERS  # the test settings swap in a fast hasher; production's list is checked here
    from umbrella.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert identify_hasher(make_password("correct horse")).algorithm == "argon2"


@override_settings(UMBRELLA_IDLE_TIMEOUT_MINUTES=2)
def test_last_seen_is_written_at_most_once_a_minute_and_the_timeout_holds(client, world, monkeypatch):
    from umbrella.accounts.middleware import LAST_SEEN_RESOLUTION_S

    start = time.time()
    clock = {"now": start}
    monkeypatch.setattr(time, "time", lambda: clock["now"])
    client.force_login(world.officer)
    assert client.get(reverse("cases:record-list")).status_code == 200
    first = client.session["umbrella_last_seen"]
    clock["now"] = start + 30  # within the minute: the session is not rewritten
    assert client.get(reverse("cases:record-list")).status_code == 200
    assert client.session["umbrella_last_seen"] == first
    clock["now"] = start + LAST_SEEN_RESOLUTION_S + 1  # a minute on: it is
    assert client.get(reverse("cases:record-list")).status_code == 200
    assert client.session["umbrella_last_seen"] == start + LAST_SEEN_RESOLUTION_S + 1
    # Active every 50 seconds for ten minutes: never signed out.
    for step in range(1, 13):
        clock["now"] = start + LAST_SEEN_RESOLUTION_S + 1 + 50 * step
        assert client.get(reverse("cases:record-list")).status_code == 200, step
    # Then idle for just over two minutes after the last request: signed out.
    clock["now"] += 2 * 60 + 1
    response = client.get(reverse("cases:record-list"))
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


@override_settings(UMBRELLA_MAX_FAILED_SIGN_INS=3, UMBRELLA_LOCKOUT_MINUTES=15)
def test_unknown_wrong_and_locked_all_hash_the_password_once(client, world, monkeypatch):
    """The same work, so the same time, whichever it is: a locked account answered faster than a
    wrong password would tell an attacker which usernames exist and which are locked."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    hashed: list[str] = []
    real_encode = MD5PasswordHasher.encode

    def counting(self, password, salt):  # type: ignore[no-untyped-def]
        hashed.append(password)
        return real_encode(self, password, salt)

    for _ in range(3):
        sign_in(client, "officer", "guess")  # locks the officer
    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    work = {}
    for case, username in (("unknown", "nobody-at-all"), ("wrong", "supervisor"), ("locked", "officer")):
        hashed.clear()
        response = sign_in(client, username, "not-the-password")
        assert "Enter a correct username and password" in response.content.decode()
        work[case] = len(hashed)
    assert work["unknown"] == work["wrong"] == work["locked"] >= 1


@override_settings(UMBRELLA_SIGN_IN_ATTEMPTS_PER_ADDRESS=4, UMBRELLA_MAX_FAILED_SIGN_INS=3)
def test_one_address_cannot_lock_out_every_account_by_failing_on_purpose(client, world):
    """Failures from one address count across usernames; past the limit the address is refused
    before any account is looked at, so the accounts it has not yet hit stay open."""
    for username in ("officer", "supervisor", "nobody-at-all", "hub_reviewer"):
        sign_in(client, username, "guess")
    refused = sign_in(client, "analyst", "guess").content.decode()
    assert "Too many failed sign-in attempts from your network" in refused
    world.analyst.refresh_from_db()
    assert world.analyst.failed_sign_in_count == 0 and world.analyst.locked_until is None
    assert AuditEvent.objects.filter(action=actions.USER_SIGN_IN_THROTTLED).count() == 1
    # Even the right password waits out the hour from that address...
    assert "Too many failed" in sign_in(client, "analyst", TEST_PASSWORD).content.decode()
    # ...while the same person elsewhere signs in.
    elsewhere = client_from("198.51.100.9")
    assert sign_in(elsewhere, "analyst", TEST_PASSWORD).status_code == 302


@override_settings(UMBRELLA_SIGN_IN_ATTEMPTS_PER_ADDRESS=2, UMBRELLA_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(world):
    first, second = client_from("10.0.0.5", forwarded="203.0.113.7"), client_from("10.0.0.5", forwarded="203.0.113.8")
    for _ in range(2):
        sign_in(first, "officer", "guess")
    assert "Too many failed" in sign_in(first, "officer", "guess").content.decode()
    assert sign_in(second, "supervisor", TEST_PASSWORD).status_code == 302
    event = AuditEvent.objects.filter(action=actions.USER_SIGN_IN, actor_id=world.supervisor.pk).get()
    assert event.ip_address == "203.0.113.8"  # the person's address, not the proxy's


def client_from(address: str, *, forwarded: str = ""):
    from django.test import Client

    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**extra)
