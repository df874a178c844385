"""A passkey in a real browser, through Chromium's virtual authenticator (what a phone's or a
laptop's would do, answered in software): an officer who signs in with a code from their app adds a
passkey, signs out, and signs in with their password and the passkey instead of a code. Every page
is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD
from umbrella.accounts.models import User
from umbrella.audit.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]


def test_an_officer_adds_a_passkey_and_signs_in_with_it(browser: Any, live_server: Any, reference_data: None, officer: User) -> None:
    from playwright.sync_api import expect

    app = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    visited: list[str] = []
    with open_page(browser, javascript=True) as page:
        authenticator = page.context.new_cdp_session(page)
        authenticator.send("WebAuthn.enable")
        authenticator.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
            "isUserVerified": True, "automaticPresenceSimulation": True}})

        def sign_in_with_password() -> None:
            page.goto(f"{live_server.url}/accounts/sign-in/")
            page.get_by_label("Username", exact=True).fill(officer.username)
            page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()

        sign_in_with_password()
        page.get_by_label("Code", exact=True).fill(f"{totp(app.bin_key, step=app.step, t0=app.t0, digits=app.digits):06d}")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Passkeys").click()
        expect(page.get_by_text("You have no passkeys")).to_be_visible()
        page.get_by_role("button", name="Add a passkey").click()
        expect(page.locator("#passkey-register-status-message")).not_to_be_empty()
        page.reload()
        expect(page.locator("#passkey-list tbody tr")).to_have_count(1)
        assert_accessible(page, visited)
        page.get_by_role("button", name="Sign out").click()

        sign_in_with_password()
        assert_accessible(page, visited)
        page.get_by_role("button", name="Use your passkey").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
    recorded = list(AuditEvent.objects.filter(target_id=str(officer.pk)).values_list("action", "changes"))
    assert ("user.passkey_added", {"passkeys": 1}) in recorded
    assert ("user.two_factor_verified", {"with": "passkey"}) in recorded
