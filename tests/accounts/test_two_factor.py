"""Two-factor sign-in: a person sets up an authenticator app (its key as a QR code and as text, a
code from the app to turn it on, ten recovery codes shown once), then signs in with their password
and a code; a wrong code, too many of them, or a slow second step send them back; a recovery code
works once."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import World
from tests.factories import TEST_PASSWORD
from umbrella.accounts.two_factor import has_two_factor
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SET_UP, CODE, SIGN_IN = "/accounts/two-factor/set-up/", "/accounts/two-factor/", "/accounts/sign-in/"


def app_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or that many 30-second steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=device.digits):06d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(SET_UP).content.decode()
    assert "<svg" in page and 'id="sign-in-key"' in page
    assert not TOTPDevice.objects.exists()  # showing the key stores nothing
    shown = TOTPDevice(key=client.session["umbrella_2fa_new_key"])
    wrong = client.post(SET_UP, {"code": "000000" if app_code(shown) != "000000" else "111111"})
    assert wrong.status_code == 400 and "govuk-error-summary" in wrong.content.decode()
    done = client.post(SET_UP, {"code": app_code(shown)}).content.decode()
    assert "Two-factor sign-in is on" in done
    device = TOTPDevice.objects.get(confirmed=True)
    codes = re.findall(r"<code>([^<]+)</code>", done)
    return device, codes


def test_setting_up_shows_the_key_and_turns_it_on_with_a_code_from_the_app(world: World) -> None:
    client = Client()
    client.force_login(world.officer)
    assert not has_two_factor(world.officer)
    device, codes = enrol(client)
    assert device.confirmed and has_two_factor(world.officer)
    assert len(codes) == 10 and len(set(codes)) == 10
    recorded = set(AuditEvent.objects.filter(target_id=str(world.officer.pk)).values_list("action", flat=True))
    assert actions.USER_TWO_FACTOR_ENROLLED in recorded
    assert not [e for e in AuditEvent.objects.all() if any(code in str(e.changes) for code in codes)]


def test_signing_in_takes_the_password_then_a_code(world: World) -> None:
    setup = Client()
    setup.force_login(world.officer)
    device, _ = enrol(setup)

    client = Client()
    after_password = client.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD, "next": "/records/"})
    assert after_password["Location"] == CODE
    assert client.get("/records/")["Location"].startswith(SIGN_IN)  # not signed in yet
    wrong = client.post(CODE, {"code": "12345"})
    assert wrong.status_code == 400 and "The code is wrong or has expired" in wrong.content.decode()
    signed = client.post(CODE, {"code": app_code(device, steps_ahead=1)})  # the next step: the set-up used this one
    assert signed["Location"] == "/records/"
    assert client.get("/records/").status_code == 200
    assert AuditEvent.objects.filter(action=actions.USER_TWO_FACTOR_VERIFIED, actor_id=world.officer.pk).exists()


def test_a_recovery_code_signs_in_once(world: World) -> None:
    setup = Client()
    setup.force_login(world.officer)
    _, codes = enrol(setup)
    first = Client()
    first.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})
    assert first.post(CODE, {"code": codes[0].upper()})["Location"] == "/"
    again = Client()
    again.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})
    assert again.post(CODE, {"code": codes[0]}).status_code == 400


def test_too_many_wrong_codes_or_a_slow_second_step_start_again(world: World) -> None:
    setup = Client()
    setup.force_login(world.officer)
    enrol(setup)
    client = Client()
    client.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})
    for _ in range(4):
        assert client.post(CODE, {"code": "abcdefgh"}).status_code == 400
    assert client.post(CODE, {"code": "abcdefgh"})["Location"] == SIGN_IN
    assert client.get(CODE)["Location"] == SIGN_IN
    assert AuditEvent.objects.filter(action=actions.USER_TWO_FACTOR_FAILED).count() == 5

    slow = Client()
    slow.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert slow.get(CODE)["Location"] == SIGN_IN


def test_without_two_factor_the_password_signs_in_as_before(world: World) -> None:
    client = Client()
    assert client.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})["Location"] == "/"


@pytest.fixture
def administrators_must(settings: Any) -> None:
    settings.UMBRELLA_TWO_FACTOR_ROLES = ("system_admin", "org_admin")


@pytest.mark.usefixtures("administrators_must")
def test_an_administrator_without_two_factor_gets_nothing_but_its_set_up(world: World) -> None:
    client = Client()
    client.post(SIGN_IN, {"username": "org.admin", "password": TEST_PASSWORD})
    for address in ("/", "/manage/", "/audit/", "/subject-access/"):
        assert client.get(address)["Location"] == SET_UP, address
    assert client.get(SET_UP).status_code == 200
    device, _ = enrol(client)
    assert client.get("/subject-access/").status_code == 200  # verified by setting it up
    # An officer is not required to (their organisation does not ask it).
    officer = Client()
    officer.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})
    assert officer.get("/records/").status_code == 200


@pytest.mark.usefixtures("administrators_must")
def test_a_session_without_a_code_is_signed_out_once_an_app_is_set_up_elsewhere(world: World) -> None:
    old = Client()
    old.force_login(world.org_admin)  # a session from before: no code given in it
    fresh = Client()
    fresh.force_login(world.org_admin)
    enrol(fresh)
    assert old.get("/manage/")["Location"] == SIGN_IN
    assert "_auth_user_id" not in old.session


def test_an_organisation_can_require_it_of_every_account(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    from umbrella.accounts.two_factor import must_use_two_factor, organisation_two_factor_require

    assert not must_use_two_factor(world.officer)
    with pytest.raises(PermissionDenied):
        organisation_two_factor_require(actor=world.supervisor, organisation=world.force, required=True)
    with pytest.raises(PermissionDenied):  # another organisation's administrator
        organisation_two_factor_require(actor=world.org_admin, organisation=world.centre, required=True)
    organisation_two_factor_require(actor=world.org_admin, organisation=world.force, required=True)
    world.officer.refresh_from_db()
    assert must_use_two_factor(world.officer) and not must_use_two_factor(world.caseworker)
    client = Client()
    client.post(SIGN_IN, {"username": "officer", "password": TEST_PASSWORD})
    assert client.get("/records/")["Location"] == SET_UP
    assert AuditEvent.objects.filter(action=actions.ORGANISATION_TWO_FACTOR).count() == 1


def test_the_command_requires_it_and_says_so(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("two_factor", "require", "--organisation", world.force.slug, "--as", "org.admin", stdout=out)
    assert "now requires two-factor sign-in" in out.getvalue()
    world.force.refresh_from_db()
    assert world.force.requires_two_factor


def test_production_requires_it_of_administrators() -> None:
    from umbrella.settings import base

    assert set(base.UMBRELLA_TWO_FACTOR_ROLES) == {"system_admin", "org_admin"}
