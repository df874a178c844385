"""Single sign-on in a real browser, JavaScript on and off, against an OpenID Connect provider the
test runs on this machine: someone whose provider account gives no role is told so on the sign-in
page; an officer presses "Sign in with Met account", continues at the provider, and lands signed in
to Umbrella as an officer of the force. Umbrella's pages are checked with axe-core (the provider's
page is the test's own, standing in for someone else's)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider, running
from umbrella.accounts.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

SECRET_VARIABLE = "UMBRELLA_TEST_SSO_SECRET"


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestProvider]:
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    people = {
        "met-7": {"name": "Alex Officer", "given_name": "Alex", "family_name": "Officer", "preferred_username": "alex",
                  "groups": ["umbrella-officers"]},
        "met-8": {"name": "Sam Visitor", "preferred_username": "sam", "groups": ["visitors"]},
    }
    with running(TestProvider(people=people)) as serving:
        yield serving


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_officer_signs_in_with_the_forces_own_account(
    browser: Any, live_server: Any, reference_data: None, officer: User, provider: TestProvider, javascript: bool
) -> None:
    from playwright.sync_api import expect

    from umbrella.accounts.single_sign_on import identity_provider_save

    admin = User.objects.create(username="sysadmin", role=Role.SYSTEM_ADMIN)
    assert officer.organisation is not None
    identity_provider_save(actor=admin, organisation=officer.organisation, slug="met", name="Met account",
                           issuer=provider.issuer, client_id=CLIENT_ID, client_secret_variable=SECRET_VARIABLE,
                           role_claim="groups", role_map={"umbrella-officers": Role.OFFICER})
    visited: list[str] = []
    with open_page(browser, javascript=True) as inspector, open_page(browser, javascript=javascript) as page:
        def check() -> None:
            assert_accessible(page, visited, inspector=None if javascript else inspector)

        page.goto(f"{live_server.url}/accounts/sign-in/")
        check()
        page.get_by_role("button", name="Sign in with Met account").click()
        page.get_by_role("button", name="Continue as Sam Visitor").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Your Met account does not give you a role in this service")
        expect(page.get_by_text("Signed in as")).to_have_count(0)
        check()

        page.get_by_role("button", name="Sign in with Met account").click()
        expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
        page.get_by_role("button", name="Continue as Alex Officer").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
        expect(page.locator("body")).to_contain_text("Alex Officer")
        check()
    signed_in = User.objects.get(username="met.alex")
    assert (signed_in.organisation, signed_in.role) == (officer.organisation, Role.OFFICER)
