"""Passkeys are added beside the authenticator app, never instead of it: only by someone with
two-factor sign-in who gave a code in this session; at sign-in a passkey stands in for the code
of the person whose password was just accepted, and nobody else. (The ceremonies themselves run in a
real browser: tests/browser/test_passkeys.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import World
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

BEGIN_ADD, BEGIN_USE = "/accounts/passkeys/api/registration/begin/", "/accounts/passkeys/api/authentication/begin/"


def post_json(client: Client, url: str) -> Any:
    return client.post(url, data=json.dumps({}), content_type="application/json")


def app_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def signed_in_with_a_code(world: World) -> tuple[Client, TOTPDevice]:
    device = TOTPDevice.objects.create(user=world.officer, name="app", confirmed=True)
    client = Client(enforce_csrf_checks=False)
    client.post("/accounts/sign-in/", {"username": world.officer.username, "password": TEST_PASSWORD})
    assert client.post("/accounts/two-factor/", {"code": app_code(device)}).status_code == 302
    return client, device


def test_adding_a_passkey_needs_two_factor_sign_in_given_in_this_session(world: World) -> None:
    without = Client()
    without.force_login(world.officer)
    page = without.get("/accounts/passkeys/").content.decode()
    assert "Set up two-factor sign-in</a> first" in page and "passkey-register-button" not in page
    refused = post_json(without, BEGIN_ADD)
    assert refused.status_code == 403 and "authenticator app first" in refused.json()["detail"]

    client, _ = signed_in_with_a_code(world)
    page = client.get("/accounts/passkeys/").content.decode()
    assert 'id="passkey-register-button"' in page and "You have no passkeys" in page
    options = post_json(client, BEGIN_ADD)
    assert options.status_code == 200
    assert options.json()["rp"] == {"id": "testserver", "name": "Umbrella"}
    assert options.json()["authenticatorSelection"]["userVerification"] in ("preferred", "required", "discouraged")


def test_using_a_passkey_needs_a_password_just_accepted(world: World) -> None:
    assert post_json(Client(), BEGIN_USE).status_code == 403  # nobody pending: passwordless is off
    TOTPDevice.objects.create(user=world.officer, name="app", confirmed=True)
    client = Client()
    client.post("/accounts/sign-in/", {"username": world.officer.username, "password": TEST_PASSWORD})
    begun = post_json(client, BEGIN_USE)
    assert begun.status_code == 200 and begun.json()["rpId"] == "testserver"
    # The code page offers a passkey only to someone who has one.
    assert "passkey-verification-button" not in client.get("/accounts/two-factor/").content.decode()


def test_the_passkey_buttons_wait_for_their_messages(world: World) -> None:
    """The package's own scripts load the catalogue of messages "async": a button pressed before it
    arrived (a busy server, a slow connection) called an undefined gettext and silently did nothing
    (it failed a CI run). Both the adding and the using scripts load it "defer", before the module."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    for which in ("register", "auth"):
        scripts = render_to_string(f"django_otp_webauthn/{which}_scripts.html", {"request": request,
                                   "configuration": {}})
        catalogue = scripts.index('src="/accounts/passkeys/api/jsi18n/"')
        assert "async" not in scripts and scripts.rfind("<script defer", 0, catalogue) != -1
        assert catalogue < scripts.index(f"otp_webauthn_{which}.js")

    client, _ = signed_in_with_a_code(world)
    page = client.get("/accounts/passkeys/").content.decode()
    assert '<script defer src="/accounts/passkeys/api/jsi18n/">' in page
