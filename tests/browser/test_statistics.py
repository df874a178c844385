"""A scrutiny member's journey in a real browser: home, the statistics page, a CSV, the monthly pack, a
sampled case with feedback (and the force's answer), and the public
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


def test_a_scrutiny_member_downloads_the_pack_and_gives_feedback_on_a_sampled_case(
    browser: Any, live_server: Any, london: dict[str, User]
) -> None:
    """The board's journey: the pack PDF from the statistics page, then a sampled case read with
    identities removed, its questions answered; the force's supervisor reads and answers it."""
    from playwright.sync_api import expect

    from umbrella.cases.models import Record
    from umbrella.scrutiny.services import sample_draw

    Record.objects.update(status="closed")
    month = timezone.localtime(Record.objects.order_by("pk").first().reported_at).date().replace(day=1)  # type: ignore[union-attr]
    sample_draw(actor=None, scrutiny_body=london["scrutiny"].organisation, month=month, per_strand=2, seed=3)
    with open_page(browser, javascript=True) as page:
        journey = Journey(page)
        sign_in(journey, live_server.url, london["scrutiny"])
        page.get_by_role("main").get_by_role("link", name="Statistics").click()
        expect(page.get_by_role("table", name="For the board: what happened to these records")).to_be_visible()
        page.get_by_label("Month", exact=True).fill(f"{month:%Y-%m}")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the pack (PDF)").click()
        assert download.value.suggested_filename == f"scrutiny-pack-{month:%Y-%m}-london.pdf"
        page.goto(f"{live_server.url}/scrutiny/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Dip sampling")
        journey.check_accessible()
        page.get_by_role("link", name=f"Case 1 of {month:%B %Y}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sampled case 1")
        assert "Amina" not in page.content() and "Okafor" not in page.content()
        journey.check_accessible()
        page.get_by_role("button", name="Record feedback").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Answer the question")
        journey.check_accessible()
        for question, answer in (("Was the hate flag right?", "Yes"), ("Was the victim kept informed?", "No"),
                                 ("Was the outcome explained to the victim?", "Cannot tell from the case"),
                                 ("Was the risk to the victim handled?", "Yes")):
            page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
        page.get_by_label("Comments for the force (optional)").fill("No update after the first contact.")
        page.get_by_role("button", name="Record feedback").click()
        expect(page.get_by_text("Feedback recorded")).to_be_visible()
        expect(page.get_by_text("1 of 2 reviewed")).to_be_visible()
    with open_page(browser, javascript=False) as page, open_page(browser, javascript=True) as inspector:
        journey = Journey(page, inspector=inspector)
        sign_in(journey, live_server.url, london["supervisor"])
        page.goto(f"{live_server.url}/scrutiny/")
        page.get_by_role("main").get_by_role("link").first.click()
        expect(page.get_by_text("No update after the first contact.")).to_be_visible()
        journey.check_accessible()
        page.get_by_label("Your answer to the panel").fill("The team has been reminded.")
        page.get_by_role("button", name="Send your answer").click()
        expect(page.get_by_text("Your answer has been sent to the panel")).to_be_visible()
