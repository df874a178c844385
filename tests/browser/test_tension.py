"""The hub reviewer's tension journey in a real browser (JavaScript off, as some force machines
run): the register of trigger events, adding one (the error summary first), then an alert that
names it, acknowledged with a note. axe-core checks every page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.conftest import open_page
from tests.browser.test_record_journey import Journey, sign_in
from tests.factories import UserFactory
from umbrella.accounts.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]


def test_a_hub_reviewer_records_an_event_and_acknowledges_the_alert_it_explains(
    browser: Any, live_server: Any, reference_data: None, officer: User
) -> None:
    from playwright.sync_api import expect

    from umbrella.tension.models import TensionAlert

    hub = UserFactory(username="hub", role=Role.HUB_REVIEWER, organisation=officer.organisation)
    TensionAlert.objects.create(source="umbrella", period_start=date(2021, 5, 1), strand="religion",
                                sub_category="antisemitic", area="london", observed=120, expected=40.0, threshold=62.0,
                                score=3.8)
    with open_page(browser, javascript=False) as page, open_page(browser, javascript=True) as inspector:
        journey = Journey(page, inspector=inspector)
        sign_in(journey, live_server.url, hub)
        page.goto(f"{live_server.url}/tension/events/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Trigger events")
        journey.check_accessible()
        page.get_by_role("link", name="Add an event").click()
        page.get_by_role("button", name="Add the event").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what happened")
        journey.check_accessible()
        page.get_by_label("What happened?").fill("Conflict overseas")
        page.get_by_role("group", name="When did it start?").get_by_label("Day").fill("10")
        page.get_by_role("group", name="When did it start?").get_by_label("Month").fill("5")
        page.get_by_role("group", name="When did it start?").get_by_label("Year").fill("2021")
        page.get_by_label("International").check()
        page.get_by_label("Religion or belief").check()
        page.get_by_role("button", name="Add the event").click()
        expect(page.get_by_text("“Conflict overseas” added to the register")).to_be_visible()
        page.goto(f"{live_server.url}/tension/alerts/")
        expect(page.get_by_text("10 May 2021: Conflict overseas")).to_be_visible()
        journey.check_accessible()
        page.get_by_label("What you know of it, or what is being done").fill("Partners report leafleting near schools.")
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Alert acknowledged")).to_be_visible()
        expect(page.get_by_text("Partners report leafleting near schools.")).to_be_visible()
