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


def test_a_spike_raises_an_alert_the_advisory_group_acknowledges_and_an_analyst_profiles_it(
    browser: Any, live_server: Any, reference_data: None, officer: User
) -> None:
    """The Done-when journey: a synthetic spike in one month's race hate raises an alert; an advisory
    group member acknowledges it; an analyst makes the problem profile and downloads its PDF."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from tests.factories import OrganisationFactory, make_record, strand
    from umbrella.statistics.forms import months_back
    from umbrella.statistics.services import facts_rebuild
    from umbrella.tension.models import TensionAlert
    from umbrella.tension.services import alerts_raise

    today = timezone.localdate()
    last_month = months_back(today.replace(day=1), 2)
    for back in range(2, 17):  # two a month for fifteen months, then fourteen in the last whole month
        day = months_back(today.replace(day=1), back + 1).replace(day=10)
        for _ in range(2):
            make_record(actor=officer, strands=[strand("race")], days_ago=(today - day).days)
    for _ in range(14):
        make_record(actor=officer, strands=[strand("race")], days_ago=(today - last_month.replace(day=12)).days)
    facts_rebuild(actor=None)
    raised = alerts_raise(actor=None, source="umbrella", level="london", since=last_month)
    assert any(alert.strand == "race" and alert.period_start == last_month for alert in raised)
    group = OrganisationFactory(name="Independent Advisory Group", slug="iag", reference_prefix="IAG", kind="scrutiny_body")
    member = UserFactory(username="iag.member", role=Role.SCRUTINY_MEMBER, organisation=group)
    analyst = UserFactory(username="analyst", role=Role.ANALYST, organisation=officer.organisation)
    with open_page(browser, javascript=False) as page, open_page(browser, javascript=True) as inspector:
        journey = Journey(page, inspector=inspector)
        sign_in(journey, live_server.url, member)
        page.goto(f"{live_server.url}/tension/alerts/")
        expect(page.get_by_text(f"Race or ethnicity: London, {last_month:%B %Y}").first).to_be_visible()
        journey.check_accessible()
        page.get_by_label("What you know of it, or what is being done").first.fill("Community groups report racist stickers.")
        page.get_by_role("button", name="Acknowledge").first.click()
        expect(page.get_by_text("Alert acknowledged")).to_be_visible()
        assert TensionAlert.objects.filter(acknowledged_by=member).exists()
    with open_page(browser, javascript=False) as page, open_page(browser, javascript=True) as inspector:
        journey = Journey(page, inspector=inspector)
        sign_in(journey, live_server.url, analyst)
        page.goto(f"{live_server.url}/intelligence/profiles/")
        journey.check_accessible()
        page.get_by_label("Problem profile").check()
        page.get_by_label("Strand").select_option("race")
        page.get_by_label("From (month)").fill(f"{months_back(last_month, 6):%Y-%m}")
        page.get_by_label("To (month)").fill(f"{last_month:%Y-%m}")
        page.get_by_role("button", name="Make it").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("London")
        expect(page.get_by_role("table").filter(has_text="Tension alerts")).to_contain_text(f"{last_month:%B %Y}")
        journey.check_accessible()
        page.get_by_label("Assessment").fill("A sharp rise after a local incident; partners report stickers.")
        page.get_by_role("button", name="Save as a new version").click()
        expect(page.get_by_text("Version 1 saved")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
