"""A scrutiny member's journey in a real browser: home, the statistics page, a CSV, and the public
open data page (JavaScript on and off). Every page is checked with axe-core; none shows a person."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import open_page
from tests.browser.test_record_journey import Journey, sign_in
from tests.factories import OrganisationFactory, UserFactory, make_record
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import OrganisationKind
from umbrella.statistics.forms import months_back
from umbrella.statistics.releases import release_prepare, release_publish
from umbrella.statistics.services import facts_rebuild

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]


@pytest.fixture
def london(reference_data: None, officer: User) -> dict[str, User]:
    for _ in range(14):
        make_record(actor=officer, days_ago=45)
    facts_rebuild(actor=None)
    iag = OrganisationFactory(name="Independent Advisory Group", slug="iag", reference_prefix="IAG",
                              kind=OrganisationKind.SCRUTINY_BODY)
    people: dict[str, User] = {}
    for username, role, organisation in (("scrutiny", Role.SCRUTINY_MEMBER, iag),
                                         ("analyst", Role.ANALYST, officer.organisation),
                                         ("supervisor", Role.SUPERVISOR, officer.organisation)):
        people[username] = UserFactory(username=username, role=role, organisation=organisation)  # type: ignore[assignment]
    return people


def test_a_scrutiny_member_reads_statistics_and_the_public_reads_open_data(
    browser: Any, live_server: Any, london: dict[str, User]
) -> None:
    from playwright.sync_api import expect

    with open_page(browser, javascript=True) as page:
        journey = Journey(page)
        sign_in(journey, live_server.url, london["scrutiny"])
        page.get_by_role("main").get_by_role("link", name="Statistics").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Statistics")
        expect(page.get_by_text("Hate crimes and non-crime hate incidents: 14 reported from")).to_be_visible()
        journey.check_accessible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download “records by strand of hate” as CSV").click()
        assert download.value.suggested_filename == "records-by-strand.csv"
        assert "Amina" not in page.content() and "Okafor" not in page.content()

    last = months_back(timezone.localdate().replace(day=1), 2)
    release = release_prepare(actor=london["analyst"], first_month=months_back(last, 12), last_month=last)
    release_publish(actor=london["supervisor"], release=release)
    for javascript in (True, False):
        with open_page(browser, javascript=javascript) as page, open_page(browser, javascript=True) as inspector:
            journey = Journey(page, inspector=None if javascript else inspector)
            page.goto(f"{live_server.url}/open-data/")
            expect(page.get_by_role("heading", level=1)).to_contain_text("open data")
            expect(page.get_by_text("14 hate crimes and non-crime hate incidents")).to_be_visible()
            journey.check_accessible()
            page.get_by_role("link", name="How these figures are made").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("How these figures are made")
            journey.check_accessible()
