"""A hub reviewer works the queue in a real browser: opens it, claims an item, sees the screening
evidence highlighted in the narrative, decides (adds a strand, sets the online flag) and finds the
decision counted on the dashboard. Every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import open_page
from tests.browser.test_record_journey import Journey, sign_in
from tests.factories import UserFactory, make_record
from tests.review.factories import suggest
from umbrella.accounts.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

NARRATIVE = "The driver told the victim to go back to where he came from and filmed it for his channel."


@pytest.fixture
def hub_reviewer(officer: User) -> User:
    user: User = UserFactory(  # type: ignore[assignment]
        username="hub.reviewer", first_name="Helen", last_name="Marsh", organisation=officer.organisation,
        role=Role.HUB_REVIEWER,
    )
    return user


def test_hub_reviewer_claims_decides_and_sees_it_counted(
    browser: Any, live_server: Any, reference_data: None, officer: User, hub_reviewer: User
) -> None:
    from playwright.sync_api import expect

    record = make_record(actor=officer, narrative=NARRATIVE, days_ago=0)
    start = NARRATIVE.index("go back")
    suggest(record, kind="missing_online", spans=[
        {"start": start, "end": start + len("go back to where he came from"), "text": "go back to where he came from",
         "reason": "Xenophobic phrase"},
    ])
    with open_page(browser, javascript=True) as page:
        journey = Journey(page)
        sign_in(journey, live_server.url, hub_reviewer)
        page.get_by_role("link", name="Review queue").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
        expect(page.get_by_text("1 item to review")).to_be_visible()
        journey.check_accessible()

        page.get_by_role("button", name=f"Claim {record.reference}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {record.reference}")
        mark = page.locator("[data-narrative] mark")
        expect(mark).to_have_count(1)
        expect(mark).to_contain_text("go back to where he came from")
        expect(mark).to_have_attribute("title", "Xenophobic phrase")
        journey.check_accessible()

        page.get_by_label("Strand", exact=True).select_option(label="Religion or belief")
        page.get_by_label("Who perceived it", exact=True).select_option(label="Victim")
        page.get_by_role("group", name="Is it online or cyber-enabled?").get_by_label("Yes", exact=True).check()
        page.get_by_label("Note (optional)", exact=True).fill("Filmed for a channel: online.")
        page.get_by_role("button", name="Save decision").click()
        expect(page.get_by_text(f"Decision saved for {record.reference}")).to_be_visible()
        expect(page.get_by_text("0 items to review")).to_be_visible()
        journey.check_accessible()

        page.get_by_role("link", name="Hub dashboard").first.click()
        expect(page.locator("[data-figure=within]")).to_have_text("100.0%")
        expect(page.locator("[data-figure=decided]")).to_have_text("1")
        team_table = page.get_by_role("table", name="By team")
        expect(team_table.locator("tfoot td").nth(1)).to_have_text("1")  # strands added
        expect(team_table.locator("tfoot td").nth(4)).to_have_text("1")  # online flag changed
        journey.check_accessible()

    record.refresh_from_db()
    assert record.is_online
    assert sorted(record.strands.values_list("strand__code", flat=True)) == ["race", "religion"]
