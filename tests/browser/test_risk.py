"""Risk in a real browser: an officer assesses a victim as high risk, the plan gets actions for two
organisations (the police and a housing provider), and the housing provider's caseworker signs in and
completes their action. Every risk page visited is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory, make_record
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import OrganisationKind
from umbrella.cases.inputs import PersonInput
from umbrella.risk.models import RiskAction, RiskAssessment
from umbrella.risk.seed import seed_default_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]


def sign_in(page: Any, base_url: str, user: User) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def add_action(page: Any, *, kind: str, what: str, organisation: str) -> None:
    from playwright.sync_api import expect

    page.get_by_text("Add an action").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator(f"input[name=action_type][value={kind}]").check()
    page.get_by_label("What needs to be done").fill(what)
    page.get_by_label("Organisation responsible").select_option(label=organisation)
    due = timezone.localdate() + timedelta(days=7)
    page.locator("input[name=due_date_day]").fill(str(due.day))
    page.locator("input[name=due_date_month]").fill(str(due.month))
    page.locator("input[name=due_date_year]").fill(str(due.year))
    page.get_by_role("button", name="Add action").click()


def test_officer_assesses_high_risk_and_a_partner_completes_an_action(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    from playwright.sync_api import expect

    force = OrganisationFactory(name="Metropolitan Police Service", slug="mps", reference_prefix="MPS")
    homes = OrganisationFactory(name="Thameside Homes", slug="thameside", reference_prefix="THM",
                                kind=OrganisationKind.HOUSING_PROVIDER)
    officer: User = UserFactory(username="officer", organisation=force, role=Role.OFFICER)  # type: ignore[assignment]
    housing: User = UserFactory(username="housing", organisation=homes, role=Role.PARTNER_CASEWORKER)  # type: ignore[assignment]
    seed_default_questionnaire()
    record = make_record(actor=officer, people=[PersonInput(role="victim", given_name="Amal", family_name="Haddad")])
    visited: list[str] = []

    with open_page(browser, javascript=True) as page:
        sign_in(page, live_server.url, officer)
        page.goto(f"{live_server.url}/risk/records/{record.pk}/assess/")
        assert_accessible(page, visited)
        # Saved with nothing answered: an error summary, and nothing stored.
        page.get_by_role("button", name="Save assessment").click()
        expect(page.get_by_text("There is a problem")).to_be_visible()
        assert_accessible(page, visited)
        assert not RiskAssessment.objects.exists()
        # Answer every question "no" (or the first choice), then a threat to kill, which means high.
        for group in page.locator("fieldset").all():
            radios = group.locator("input[type=radio]")
            if radios.count():
                no = group.locator("input[type=radio][value=no]")
                (no if no.count() else radios.first).check()
        page.locator("input[name=q_threat_to_kill][value=yes]").check()
        page.get_by_role("button", name="Save assessment").click()
        expect(page.get_by_text("High", exact=False).first).to_be_visible()
        assert_accessible(page, visited)
        assessment = RiskAssessment.objects.get()
        assert assessment.computed_level == "high"

        add_action(page, kind="patrol", what="Extra patrols past the victim's home at night.",
                   organisation="Metropolitan Police Service")
        assert_accessible(page, visited)
        add_action(page, kind="target_hardening", what="Fit a door camera and letterbox guard.",
                   organisation="Thameside Homes")
        assert_accessible(page, visited)
        assert set(RiskAction.objects.values_list("assigned_organisation__slug", flat=True)) == {"mps", "thameside"}

    with open_page(browser, javascript=True) as page:
        sign_in(page, live_server.url, housing)
        page.goto(f"{live_server.url}/risk/actions/")
        assert_accessible(page, visited)
        page.get_by_role("link", name="Target hardening", exact=False).first.click()
        expect(page.get_by_text("Fit a door camera", exact=False).first).to_be_visible()
        assert_accessible(page, visited)
        # The housing provider sees what to do and the record's reference, not the victim.
        assert "Haddad" not in page.content()
        page.locator("textarea[name=outcome_note]").fill("Camera and letterbox guard fitted on Tuesday.")
        page.get_by_role("button", name="Mark as done").click()
        expect(page.locator("#action-status")).to_contain_text("Done")
        assert_accessible(page, visited)

    done = RiskAction.objects.get(assigned_organisation__slug="thameside")
    assert done.status == "done" and done.completed_by_id == housing.pk
    assert RiskAction.objects.get(assigned_organisation__slug="mps").status == "open"
    assert len(visited) >= 6
