"""The record journey in a real browser: sign in, create a record with two strands, find it by
filtering the list by strand, open it and see its creation in the timeline. Every page visited
is checked with axe-core. The same journey runs with JavaScript off, because every page must
work without it (htmx only enhances)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD, make_record, strand
from umbrella.accounts.models import User
from umbrella.cases.models import Record

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

REFERENCE = re.compile(r"MPS-\d{4}-\d{6}")


@dataclass
class Journey:
    """The page being driven, the pages checked so far, and (JavaScript off) where axe runs."""

    page: Any
    visited: list[str] = field(default_factory=list)
    inspector: Any | None = None

    def check_accessible(self) -> None:
        assert_accessible(self.page, self.visited, inspector=self.inspector)


def sign_in(journey: Journey, base_url: str, user: User) -> None:
    from playwright.sync_api import expect

    page = journey.page
    page.goto(f"{base_url}/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    journey.check_accessible()
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    journey.check_accessible()


def fill_date(page: Any, legend: str, moment: Any) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(str(moment.day))
    group.get_by_label("Month", exact=True).fill(str(moment.month))
    group.get_by_label("Year", exact=True).fill(str(moment.year))
    group.get_by_label("Hour", exact=True).fill(f"{moment.hour:02d}")
    group.get_by_label("Minute", exact=True).fill(f"{moment.minute:02d}")


def choose_strand(page: Any, row: str, strand_label: str, *, sub_category: str | None, javascript: bool) -> None:
    from playwright.sync_api import expect

    fieldset = page.get_by_role("group", name=row, exact=True)
    select = fieldset.get_by_label("Strand", exact=True)
    if javascript:
        # htmx swaps in the sub-category list narrowed to the chosen strand; wait for it so the
        # sub-category is chosen in the new list, not in the one being replaced.
        with page.expect_response(lambda response: "/records/sub-categories/" in response.url):
            select.select_option(label=strand_label)
        # The response arrives before htmx has swapped it in: wait until nothing is in flight,
        # swapping or settling, or a busy machine lets the choice land in the list being replaced.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
        )
    else:
        select.select_option(label=strand_label)
    fieldset.get_by_label("Who perceived it", exact=True).select_option(label="Victim")
    if sub_category:
        chooser = fieldset.get_by_label(re.compile(r"^Sub-category"))
        chooser.select_option(label=sub_category)
        expect(chooser.locator("option:checked")).to_have_text(sub_category)


def create_record(journey: Journey, *, javascript: bool) -> str:
    """Fills in the new record form with two strands and saves it; returns the new reference."""
    from playwright.sync_api import expect

    page = journey.page
    page.get_by_role("button", name=re.compile("new record", re.IGNORECASE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New record")
    journey.check_accessible()
    page.get_by_label("Hate crime", exact=True).check()
    happened = timezone.localtime() - timedelta(days=1)
    fill_date(page, "When did it happen?", happened.replace(hour=14, minute=30))
    page.get_by_label("What happened", exact=True).fill(
        "Two men shouted abuse about the victim's headscarf and skin colour outside the bus station."
    )
    page.get_by_label("Location description").fill("Outside the bus station")
    page.get_by_label("Borough", exact=True).select_option(label="Westminster")
    choose_strand(page, "Strand 1", "Race or ethnicity", sub_category=None, javascript=javascript)
    choose_strand(page, "Strand 2", "Religion or belief", sub_category="Anti-Muslim", javascript=javascript)
    page.get_by_role("button", name="Save record").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(REFERENCE)
    journey.check_accessible()
    return str(heading.inner_text()).strip()


def find_by_strand(journey: Journey, *, reference: str, not_expected: str) -> None:
    """Filters the record list to the religion strand and opens ``reference`` from the results."""
    from playwright.sync_api import expect

    page = journey.page
    page.get_by_role("link", name="Back to records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records")
    journey.check_accessible()
    # Before filtering, the race-only record is listed too.
    results = page.locator("#results")
    expect(results.get_by_role("link", name=not_expected)).to_be_visible()

    page.get_by_label("Strand", exact=True).select_option(label="Religion or belief")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]strand=religion(&|$)"))
    expect(results.get_by_role("link", name=reference)).to_be_visible()
    expect(results.get_by_role("link", name=not_expected)).to_have_count(0)
    expect(results.get_by_role("heading", level=2)).to_have_text("1 record")
    journey.check_accessible()

    results.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)


def see_creation_in_timeline(journey: Journey) -> None:
    from playwright.sync_api import expect

    page = journey.page
    expect(page.get_by_text("Religion or belief (Anti-Muslim)", exact=True)).to_be_visible()
    expect(page.get_by_text("Race or ethnicity", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.locator(".umbrella-timeline")).to_contain_text(re.compile(r"\bcreated\b", re.IGNORECASE))
    journey.check_accessible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_it_records_finds_and_shows_a_two_strand_record(
    browser: Any, live_server: Any, reference_data: None, officer: User, javascript: bool
) -> None:
    # Another officer's-force record with only the race strand, which the strand filter must leave out.
    race_only = make_record(actor=officer, strands=[strand("race")])
    with open_page(browser, javascript=javascript) as page, open_page(browser, javascript=True) as inspector:
        journey = Journey(page=page, inspector=None if javascript else inspector)
        # Every stylesheet, script and font the pages ask for is served: axe's colour-contrast
        # check on an unstyled page would prove nothing.
        assets: dict[str, int] = {}
        page.on("response", lambda response: assets.__setitem__(response.url, response.status))
        sign_in(journey, live_server.url, officer)
        reference = create_record(journey, javascript=javascript)
        find_by_strand(journey, reference=reference, not_expected=race_only.reference)
        see_creation_in_timeline(journey)

    assert any(url.endswith("/govuk-frontend.min.css") for url in assets), sorted(assets)
    failed_assets = {url: status for url, status in assets.items() if "/static/" in url and status >= 400}
    assert not failed_assets, failed_assets

    # The page's word is backed by what was stored: two strands, through the audited service.
    record = Record.objects.get(reference=reference)
    assert sorted(record.strands.values_list("strand__code", flat=True)) == ["race", "religion"]
    assert record.strands.get(strand__code="religion").sub_category.code == "anti_muslim"  # type: ignore[union-attr]
    # Every page the journey passed through was checked with axe, the filtered list included.
    detail = f"/records/{record.pk}/"
    assert [path.split("?")[0] for path in journey.visited] == [
        "/accounts/sign-in/", "/", "/records/new/", detail, "/records/", "/records/", detail
    ], journey.visited
    assert "strand=religion" in journey.visited[5]
