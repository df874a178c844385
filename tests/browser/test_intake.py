"""Centre intake to police triage in a real browser: a caseworker records a phone report with the
victim's consent to share anonymised; a police officer finds it in the force's triage queue and
accepts it. Every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

VICTIM = "Perpetua Lindqvist"


def sign_in(page: Any, visited: list[str], base_url: str, user: User) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_phone_report_shared_anonymised_reaches_police_triage(
    browser: Any, live_server: Any, reference_data: None, tmp_path: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path
    force: Organisation = OrganisationFactory(  # type: ignore[assignment]  # factory_boy returns the model
        name="Metropolitan Police Service", slug="mps", reference_prefix="MPS"
    )
    centre = OrganisationFactory(name="Tell Us Centre", slug="tell-us", reference_prefix="TUC",
                                 kind=OrganisationKind.THIRD_PARTY_CENTRE)
    caseworker: User = UserFactory(username="caseworker", organisation=centre, role=Role.PARTNER_CASEWORKER)  # type: ignore[assignment]
    officer: User = UserFactory(username="officer", organisation=force, role=Role.OFFICER)  # type: ignore[assignment]
    visited: list[str] = []

    with open_page(browser, javascript=True) as page:
        sign_in(page, visited, live_server.url, caseworker)
        page.goto(f"{live_server.url}/intake/new/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Record a report for a victim")
        assert_accessible(page, visited)
        page.get_by_role("group", name="How is the victim reporting?").get_by_label("Phone", exact=True).check()
        page.get_by_role("group", name="Who is reporting?").get_by_label("The victim", exact=True).check()
        page.get_by_label("What happened, in their own words").fill("Two men shouted abuse at me at the bus stop.")
        # A record needs a strand and a place, whichever route it comes in by.
        page.get_by_role("group", name="Why do they think it was motivated by hostility?").get_by_label(
            "Race or ethnicity", exact=True).check()
        page.get_by_label("Borough", exact=True).select_option(label="Haringey")
        page.get_by_label("Name", exact=True).fill(VICTIM)
        page.get_by_label("Share with the police without my details").check()
        page.get_by_label("Create a centre record now (skip the triage queue)").check()
        page.get_by_role("button", name="Record report").click()
        expect(page.get_by_text("recorded as TUC-")).to_be_visible()
        assert_accessible(page, visited)

    referral = Report.objects.get(organisation=force)
    with open_page(browser, javascript=False) as page:
        sign_in(page, visited, live_server.url, officer)
        page.goto(f"{live_server.url}/intake/triage/")
        expect(page.get_by_role("link", name=referral.reference)).to_be_visible()
        page.get_by_role("link", name=referral.reference).click()
        expect(page.get_by_text("Two men shouted abuse")).to_be_visible()
        assert VICTIM not in page.content()
        page.get_by_role("link", name="Record as a police crime or incident").click()
        page.get_by_label("Hate crime", exact=True).check()
        page.get_by_role("button", name="Create the police record").click()
        expect(page.get_by_text(f"Report {referral.reference} recorded as MPS-")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.record is not None
    assert referral.record.organisation == force
