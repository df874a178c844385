"""A crime's outcome in a real browser: the officer is told what is missing, records the outcome,
sees the timer to tell the victim and meets it; the force shares the crime with the CPS, whose
prosecutor records the charge and the conviction with the hostility uplift; and the supervisor's
funnel moves. Every page visited is checked with axe-core."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.browser.test_intake import sign_in
from tests.factories import UserFactory, make_record
from umbrella.accounts.models import Role, User
from umbrella.outcomes.models import InvestigationOutcome

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@time_machine.travel(WEDNESDAY_MORNING, tick=True)
def test_an_officer_records_an_outcome_the_cps_a_charge_and_a_conviction_and_the_funnel_moves(
    browser: Any, live_server: Any, reference_data: None, officer: User
) -> None:
    from playwright.sync_api import expect

    supervisor = UserFactory(username="supervisor", organisation=officer.organisation, role=Role.SUPERVISOR)
    record = make_record(actor=officer, days_ago=5)
    today = timezone.localdate()
    visited: list[str] = []
    with open_page(browser, javascript=True) as page:
        def check() -> None:
            assert_accessible(page, visited)

        sign_in(page, visited, live_server.url, officer)
        page.goto(f"{live_server.url}/records/{record.pk}/")
        expect(page.locator("#outcome")).to_have_text("Outcome")
        expect(page.get_by_text("No outcome has been recorded.")).to_be_visible()
        check()

        page.get_by_role("link", name=f"Record the outcome of {record.reference}").click()
        page.get_by_role("button", name="Record outcome").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Select the outcome from the list")
        expect(summary).to_contain_text("Select yes if a suspect was identified")
        check()

        page.get_by_label("What is the outcome?").select_option("1")
        page.get_by_label("Day").fill(str(today.day))
        page.get_by_label("Month").fill(str(today.month))
        page.get_by_label("Year").fill(str(today.year))
        page.get_by_label("Yes", exact=True).check()
        page.get_by_role("button", name="Record outcome").click()
        expect(page.get_by_text("Outcome recorded", exact=True)).to_be_visible()
        expect(page.get_by_text("1: Charged or summonsed")).to_be_visible()
        expect(page.locator("#care-timers")).to_contain_text("Tell the victim about a key event: Due")
        check()

        # The officer tells the victim: the contact meets the timer.
        page.get_by_role("link", name="Record a contact with the victim").click()
        page.get_by_label("Phone", exact=True).check()
        page.get_by_label("What was the victim told?").fill("Told the victim the suspect has been charged.")
        check()
        page.get_by_role("button", name="Save contact").click()
        expect(page.get_by_text("Contact with the victim recorded")).to_be_visible()
        expect(page.locator("#care-timers")).to_contain_text("Tell the victim about a key event: Met")
        check()

    # The force passes the crime to the CPS: a full share, as for any partner.
    from tests.factories import OrganisationFactory
    from umbrella.agencies.models import OrganisationKind
    from umbrella.sharing.services import share_grant

    cps = OrganisationFactory(name="CPS London", slug="cps-london", reference_prefix="CPS", kind=OrganisationKind.CPS)
    prosecutor = UserFactory(username="prosecutor", organisation=cps, role=Role.PARTNER_CASEWORKER)
    share_grant(actor=officer, record=record, organisation=cps, scope="full",
                reason="Passed to the CPS for a charging decision", legal_basis="Prosecution of offences")

    with open_page(browser, javascript=True) as page:
        def check() -> None:
            assert_accessible(page, visited)

        # The CPS charged; the court convicted and increased the sentence for hostility.
        sign_in(page, visited, live_server.url, prosecutor)
        page.goto(f"{live_server.url}/records/{record.pk}/")
        check()
        page.get_by_role("link", name=f"Record a charging decision on {record.reference}").click()
        page.get_by_label("Charged or summonsed").check()
        page.get_by_label("The Crown Prosecution Service").check()
        page.get_by_label("Day").fill(str(today.day))
        page.get_by_label("Month").fill(str(today.month))
        page.get_by_label("Year").fill(str(today.year))
        check()
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Charging decision recorded", exact=True)).to_be_visible()
        page.get_by_role("link", name=f"Record a court result on {record.reference}").click()
        page.get_by_label("Convicted", exact=True).check()
        page.get_by_label("Day").fill(str(today.day))
        page.get_by_label("Month").fill(str(today.month))
        page.get_by_label("Year").fill(str(today.year))
        page.get_by_label("Offence convicted of").select_option(index=1)
        page.get_by_label("Yes, and it said so in open court").check()
        check()
        page.get_by_role("button", name="Record result").click()
        expect(page.locator("[data-court-results]")).to_contain_text("Sentence increased for hostility, said in open court")
        check()

    with open_page(browser, javascript=True) as page:
        sign_in(page, visited, live_server.url, supervisor)
        page.get_by_role("link", name="Outcomes funnel").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Attrition funnel")
        uplift = page.get_by_role("row").filter(has_text="Sentence increased for hostility").first
        expect(uplift).to_contain_text("1")
        assert_accessible(page, visited)

    assert InvestigationOutcome.objects.filter(record=record, outcome__code="1").exists()
