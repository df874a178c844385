"""The public report journey in a real browser, in English and Arabic (right to left), with
JavaScript on and off, anonymous and named, to the police, to a centre and to both; a report to a
centre is then checked with its reference and check code and one consent withdrawn. Every page
visited is checked with axe-core."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import get_resolver
from PIL import Image

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import OrganisationFactory
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

REFERENCE = re.compile(r"UMB-[0-9A-Z]{6}")


@dataclass
class Journey:
    page: Any
    visited: list[str] = field(default_factory=list)
    inspector: Any | None = None

    def check_accessible(self) -> None:
        assert_accessible(self.page, self.visited, inspector=self.inspector)

    def fill(self, name: str, value: str) -> None:
        self.page.locator(f'[name="{name}"]').fill(value)

    def choose(self, name: str, value: str) -> None:
        self.page.locator(f'input[name="{name}"][value="{value}"]').check()

    def next(self, button: str = "main form button.govuk-button:not(.govuk-button--secondary)") -> None:
        self.check_accessible()
        self.page.locator(button).last.click()
        self.page.wait_for_load_state()


@dataclass(frozen=True)
class Scenario:
    language: str
    javascript: bool
    anonymous: bool
    destination: str

    def __str__(self) -> str:
        who = "anonymous" if self.anonymous else "named"
        return f"{self.language}-{'js' if self.javascript else 'nojs'}-{who}-{self.destination}"


SCENARIOS = [
    Scenario("en", True, False, "police"),
    Scenario("en", False, True, "centre"),
    Scenario("en", True, True, "both"),
    Scenario("ar", True, True, "both"),
    Scenario("ar", False, False, "police"),
    Scenario("ar", False, True, "centre"),
]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def organisations(transactional_db: None) -> Organisation:
    # Load the URLconf (and every app's views) here, not in the live server's first request,
    # which would otherwise spend the page load timeout importing.
    get_resolver().url_patterns  # noqa: B018
    OrganisationFactory(name="Metropolitan Police Service", slug="mps", reference_prefix="MPS")
    centre: Organisation = OrganisationFactory(  # type: ignore[assignment]
        name="Tell Us Centre", slug="tell-us", reference_prefix="TUC", kind=OrganisationKind.THIRD_PARTY_CENTRE
    )
    return centre


def walk(journey: Journey, base_url: str, scenario: Scenario, centre: Organisation) -> str:
    from playwright.sync_api import expect

    page = journey.page
    page.goto(f"{base_url}/report/")
    if scenario.language != "en":
        page.locator("#language-switcher").select_option(scenario.language)
        page.locator(".umbrella-language-switcher button").click()
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if scenario.language == "ar" else "ltr")
    journey.next("main form .govuk-button--start")  # start
    journey.choose("reporter_role", "victim")
    journey.next()
    # The error summary first: what happened is required.
    journey.next()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    journey.fill("narrative", "Someone shouted abuse at me outside the mosque <script>alert(1)</script>")
    journey.next()
    journey.fill("words_used", "Words I will not repeat")
    journey.next()
    journey.fill("day", "3")
    journey.fill("month", "2")
    journey.fill("year", "2025")
    journey.next()
    journey.choose("is_online", "no")
    journey.fill("location_description", "Outside the mosque on Whitechapel Road")
    journey.next()
    page.locator('input[name="strands"]').first.check()
    journey.next()
    journey.choose("offender_known", "no")
    journey.next()
    journey.next()  # harm: nothing to add
    page.set_input_files("#evidence", files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png()}])
    journey.next("button[value=upload]")
    expect(page.locator(".govuk-summary-list")).to_contain_text("photo.png")
    journey.next("button[value=continue]")
    journey.next()  # support: nothing needed
    if scenario.anonymous:
        journey.choose("anonymous", "yes")
    else:
        journey.choose("anonymous", "no")
        journey.fill("contact_name", "Amira Test")
        journey.fill("contact_email", "amira@example.com")
        journey.choose("contact_preferred_method", "email")
    journey.next()
    journey.choose("destination", scenario.destination)
    if scenario.destination != "police":
        page.locator('[name="centre_slug"]').select_option(centre.slug)
    journey.next()
    for radio in page.locator('input[type=radio][value="yes"]').all():
        radio.check()
    journey.next()
    expect(page.locator(".govuk-summary-list")).to_contain_text("<script>alert(1)</script>")
    journey.next()  # check answers: send
    reference = page.locator(".umbrella-report-reference").inner_text()
    journey.check_accessible()
    assert REFERENCE.fullmatch(reference)
    return reference


# The scenarios in one language run on one worker (`--dist loadgroup`), so the pages they share are
# checked with axe-core once (tests/browser/accessibility.py).
@pytest.mark.parametrize(
    "scenario", [pytest.param(s, marks=pytest.mark.xdist_group(f"journey-{s.language}")) for s in SCENARIOS], ids=str
)
def test_it_walks_the_public_journey(
    browser: Any, live_server: Any, reference_data: None, organisations: Organisation, scenario: Scenario
) -> None:
    with open_page(browser, javascript=scenario.javascript) as page, open_page(browser, javascript=True) as inspector:
        journey = Journey(page=page, inspector=None if scenario.javascript else inspector)
        reference = walk(journey, live_server.url, scenario, organisations)
        if scenario.destination != "police":
            withdraw_one_consent(journey, live_server.url, reference, page.locator(".umbrella-check-code").inner_text())
    reports = Report.objects.filter(reference=reference)
    expected = {"police": {"mps"}, "centre": {"tell-us"}, "both": {"mps", "tell-us"}}[scenario.destination]
    assert {r.organisation.slug for r in reports} == expected
    assert all(r.is_anonymous == scenario.anonymous for r in reports)
    assert len(journey.visited) >= 16


def withdraw_one_consent(journey: Journey, base_url: str, reference: str, code: str) -> None:
    """Checks the report with its reference and check code, and changes one consent to no."""
    from playwright.sync_api import expect

    page = journey.page
    page.goto(f"{base_url}/report/progress/")
    journey.fill("reference", reference)
    journey.fill("code", code)
    journey.next()
    expect(page.locator("#what-you-agreed")).to_be_visible()
    journey.check_accessible()
    given = page.locator('button[name="withdraw"]').count()
    page.locator('button[name="withdraw"]').first.click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator('button[name="withdraw"]')).to_have_count(given - 1)
    journey.check_accessible()


@pytest.fixture
def exit_site(settings: Any, live_server: Any) -> str:
    """Exit this page leads to a page of the live server: the browser follows the exit address's
    redirect without asking a test's stub (seen: the real site was looked up and failed offline)."""
    settings.UMBRELLA_QUICK_EXIT_URL = f"{live_server.url}/open-data/"
    return settings.UMBRELLA_QUICK_EXIT_URL


def _type_private_words(page: Any, base_url: str) -> None:
    """Starts a report and types into the account of what happened."""
    page.goto(f"{base_url}/report/")
    page.locator("main form .govuk-button--start").click()
    page.locator('input[name="reporter_role"][value="victim"]').check()
    page.locator("main form button.govuk-button:not(.govuk-button--secondary)").click()
    page.locator('[name="narrative"]').fill("Private words")


def test_quick_exit_leaves_and_back_does_not_show_answers(
    browser: Any, live_server: Any, reference_data: None, organisations: Organisation, exit_site: str
) -> None:
    with open_page(browser, javascript=True) as page:
        _type_private_words(page, live_server.url)
        page.locator(".govuk-exit-this-page__button").click()
        page.wait_for_url(exit_site)
        page.go_back()
        page.wait_for_load_state()
        assert "Private words" not in page.content()
        assert "/report/step/what/" not in page.url


def test_pressing_shift_three_times_exits_too(
    browser: Any, live_server: Any, reference_data: None, organisations: Organisation, exit_site: str
) -> None:
    """GOV.UK's Exit this page: the Shift key pressed three times leaves, for someone who cannot
    reach the button in time."""
    with open_page(browser, javascript=True) as page:
        _type_private_words(page, live_server.url)
        page.wait_for_selector(".govuk-exit-this-page[data-govuk-exit-this-page-init]", state="attached")
        # The third press starts the navigation, through the exit address (which ends the session,
        # a database write) to the exit site; wait for it as long as the button test does.
        with page.expect_navigation(url=exit_site, timeout=30_000):
            for _ in range(3):
                page.keyboard.press("Shift")
                page.wait_for_timeout(100)
        assert "Private words" not in page.content()


def test_urdu_compound_hate_saved_and_resumed_with_the_character_count(
    browser: Any, live_server: Any, reference_data: None, organisations: Organisation
) -> None:
    """In Urdu (right to left): the character count as the account is typed, 'Save and come back
    later' keeping the page being typed, a new browser resuming with the code, and more than one
    reason chosen, shown in Urdu on the check page. axe-core checks every page."""
    from playwright.sync_api import expect

    with open_page(browser, javascript=True) as page:
        journey = Journey(page=page)
        page.goto(f"{live_server.url}/report/")
        page.locator("#language-switcher").select_option("ur")
        page.locator(".umbrella-language-switcher button").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        journey.next("main form .govuk-button--start")
        journey.choose("reporter_role", "victim")
        journey.next()
        journey.fill("narrative", "He followed me home shouting about my faith and my skin")
        expect(page.locator(".govuk-character-count__status")).to_be_visible()
        journey.check_accessible()
        page.locator('main form button[value="save"]').click()
        page.wait_for_load_state()
        code = page.locator(".umbrella-resume-code").inner_text()
        journey.check_accessible()

    with open_page(browser, javascript=True) as page:  # another browser: only the code carries the draft
        journey = Journey(page=page)
        page.goto(f"{live_server.url}/report/resume/")
        page.locator('[name="code"]').fill(code)
        page.locator("main form button.govuk-button").last.click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/report/step/what/")
        expect(page.locator('[name="narrative"]')).to_have_value("He followed me home shouting about my faith and my skin")
        journey.next()
        journey.next()  # words: none
        journey.next()  # when: not known
        journey.choose("is_online", "no")
        page.locator('[name="borough_code"]').select_option("E09000033")
        journey.next()
        expect(page.locator("main")).to_contain_text("نسل یا قومیت")  # "Race or ethnicity", in Urdu
        page.locator('input[name="strands"][value="race"]').check()
        page.locator('input[name="strands"][value="religion"]').check()
        journey.next()
        journey.choose("offender_known", "no")
        journey.next()
        journey.next()  # harm
        journey.next("button[value=continue]")  # evidence
        journey.next()  # support
        journey.choose("anonymous", "yes")
        journey.next()
        journey.choose("destination", "police")
        journey.next()
        for radio in page.locator('input[type=radio][value="yes"]').all():
            radio.check()
        journey.next()
        summary = page.locator(".govuk-summary-list")
        expect(summary).to_contain_text("نسل یا قومیت")
        expect(summary).to_contain_text("مذہب یا عقیدہ")  # both reasons kept: compound hate
        journey.check_accessible()
