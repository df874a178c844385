"""Two-factor sign-in in a real browser, JavaScript on and off: an officer sets up an authenticator
app from the key the page shows (read from the page, as a person would type it into their app),
saves the recovery codes, signs out, and signs in with the password and a code from the app. Every
page is checked with axe-core."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD
from umbrella.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]


def app_code(key_text: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app given this key (as shown, in groups) shows now, or steps later."""
    from django_otp.oath import totp

    secret = key_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=-steps_ahead * 30, digits=6):06d}"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_officer_sets_up_two_factor_and_signs_in_with_a_code(
    browser: Any, live_server: Any, reference_data: None, officer: User, javascript: bool
) -> None:
    from playwright.sync_api import expect

    visited: list[str] = []
    with open_page(browser, javascript=True) as inspector, open_page(browser, javascript=javascript) as page:
        def check() -> None:
            assert_accessible(page, visited, inspector=None if javascript else inspector)

        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Username", exact=True).fill(officer.username)
        page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Two-factor sign-in").click()
        expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
        expect(page.get_by_role("img", name="QR code of your sign-in key")).to_be_visible()
        check()
        key = page.locator("#sign-in-key").inner_text()
        page.get_by_label("Code", exact=True).fill("000000" if app_code(key) != "000000" else "111111")
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("The code is wrong or has expired")
        check()
        page.get_by_label("Code", exact=True).fill(app_code(key))
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
        recovery = page.locator("#recovery-codes li")
        expect(recovery).to_have_count(10)
        check()
        page.get_by_role("button", name="Sign out").click()

        page.get_by_label("Username", exact=True).fill(officer.username)
        page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
        expect(page.get_by_text("Signed in as")).to_have_count(0)  # not until the code
        check()
        # The next step's code: the one the set-up used is spent.
        page.get_by_label("Code", exact=True).fill(app_code(key, steps_ahead=1))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
