"""The centre-to-police hand-off as one journey, in a real browser: a victim reports two strands of
hate to a reporting centre and consents to sharing with the police and to victim support; the
centre accepts it; the police record it from their triage queue without typing anything again;
the officer refers the victim to victim support on the consent given to the centre; the centre
sees the police reference. Every page visited is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.test_intake import sign_in
from tests.browser.test_reporting import Journey
from tests.factories import OrganisationFactory, UserFactory
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.care.models import Referral
from umbrella.cases.models import Record
from umbrella.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

STRANDS = ("Race or ethnicity", "Religion or belief")


def report_two_strands(journey: Journey, base_url: str, centre: Organisation) -> None:
    """The public journey in English, to the centre, named, every consent given."""
    from playwright.sync_api import expect

    page = journey.page
    page.goto(f"{base_url}/report/")
    journey.next("main form .govuk-button--start")
    journey.choose("reporter_role", "victim")
    journey.next()
    journey.fill("narrative", "Two men spat at me and shouted abuse about my headscarf and my skin.")
    journey.next()
    journey.fill("words_used", "Words I will not repeat")
    journey.next()
    journey.fill("day", "3")
    journey.fill("month", "2")
    journey.fill("year", "2025")
    journey.next()
    journey.choose("is_online", "no")
    journey.fill("location_description", "Bus stop on Whitehall")
    journey.next()
    for strand in STRANDS:
        page.get_by_label(strand, exact=True).check()
    journey.next()
    journey.choose("offender_known", "no")
    journey.next()
    journey.next()  # harm
    journey.next("button[value=continue]")  # evidence: none
    journey.next()  # support
    journey.choose("anonymous", "no")
    journey.fill("contact_name", "Nadia Haddad")
    journey.fill("contact_email", "nadia@example.com")
    journey.choose("contact_preferred_method", "email")
    journey.next()
    journey.choose("destination", "centre")
    page.locator('[name="centre_slug"]').select_option(centre.slug)
    journey.next()
    for radio in page.locator('input[type=radio][value="yes"]').all():
        radio.check()
    journey.next()
    journey.next()  # check answers: send
    expect(page.locator(".umbrella-report-reference")).to_be_visible()
    journey.check_accessible()


def test_a_centres_report_becomes_a_police_record_and_a_referral_on_the_victims_consent(
    browser: Any, live_server: Any, reference_data: None, tmp_path: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    from tests.browser.conftest import open_page

    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path
    force: Organisation = OrganisationFactory(  # type: ignore[assignment]  # factory_boy returns the model
        name="Metropolitan Police Service", slug="mps", reference_prefix="MPS"
    )
    centre: Organisation = OrganisationFactory(  # type: ignore[assignment]
        name="Tell Us Centre", slug="tell-us", reference_prefix="TUC", kind=OrganisationKind.THIRD_PARTY_CENTRE
    )
    OrganisationFactory(name="Victim Support", slug="victim-support", reference_prefix="VS",
                        kind=OrganisationKind.VICTIM_SERVICE)
    caseworker: User = UserFactory(username="caseworker", organisation=centre, role=Role.PARTNER_CASEWORKER)  # type: ignore[assignment]
    officer: User = UserFactory(username="officer", organisation=force, role=Role.OFFICER)  # type: ignore[assignment]
    visited: list[str] = []

    with open_page(browser, javascript=True) as page:
        report_two_strands(Journey(page, visited), live_server.url, centre)

    # The centre accepts it; the victim's consent shares it with the police at once.
    public_report = Report.objects.get(organisation=centre)
    assert public_report.strand_codes == ["race", "religion"]  # compound hate: both answers kept
    with open_page(browser, javascript=True) as page:
        sign_in(page, visited, live_server.url, caseworker)
        page.goto(f"{live_server.url}/intake/reports/{public_report.pk}/")
        with page.expect_navigation():
            page.get_by_role("link", name="Accept as a new record").click()
        assert_accessible(page, visited)
        page.get_by_label("Hate crime", exact=True).check()
        page.get_by_label("Borough where it happened").select_option(label="Westminster")
        page.get_by_role("button", name="Accept", exact=True).click()
        expect(page.get_by_text(f"Report {public_report.reference} recorded as TUC-")).to_be_visible()
    centre_record = Record.objects.get(organisation=centre)
    referral_report = Report.objects.get(organisation=force, source_record=centre_record)

    # The police find it in their queue and record it: nothing to type but the kind.
    with open_page(browser, javascript=True) as page:
        sign_in(page, visited, live_server.url, officer)
        page.goto(f"{live_server.url}/intake/triage/")
        expect(page.get_by_text("Shared by Tell Us Centre on the victim's consent")).to_be_visible()
        assert_accessible(page, visited)
        page.get_by_role("link", name=referral_report.reference).click()
        page.get_by_role("link", name="Record as a police crime or incident").click()
        carries = page.locator("[data-carries]")
        expect(carries).to_contain_text(f"{STRANDS[0]}, {STRANDS[1]}, perceived by victim")
        expect(carries).to_contain_text("Victim: Nadia Haddad")
        expect(carries).to_contain_text("Westminster")
        assert_accessible(page, visited)
        page.get_by_label("Hate crime", exact=True).check()
        page.get_by_role("button", name="Create the police record").click()
        expect(page.get_by_text(f"Report {referral_report.reference} recorded as MPS-")).to_be_visible()
        police_record = Record.objects.get(organisation=force)
        expect(page.get_by_role("heading", level=1)).to_contain_text(police_record.reference)
        expect(page.get_by_role("link", name=centre_record.reference)).to_be_visible()
        expect(page.locator("[data-carried-consents]")).to_contain_text("Refer me to victim support: given to Tell Us Centre")
        assert_accessible(page, visited)

        # The referral rests on the consent the victim gave the centre: nothing to record again.
        page.get_by_role("link", name="Make a referral").click()
        page.get_by_label("Refer to").select_option(label="Victim Support")
        page.get_by_label("Why are you referring the victim?").fill("The victim asked the centre for support.")
        assert_accessible(page, visited)
        page.get_by_role("button", name="Send referral").click()
        expect(page.get_by_text("sent to Victim Support")).to_be_visible()
        referral = Referral.objects.get(record=police_record)
        page.goto(f"{live_server.url}/care/referrals/{referral.pk}/")
        expect(page.get_by_text("given to Tell Us Centre on")).to_be_visible()
        assert_accessible(page, visited)
    assert sorted(police_record.strands.values_list("strand__code", flat=True)) == ["race", "religion"]
    assert referral.consent is not None and referral.consent.organisation == centre

    # The centre sees what became of its report.
    with open_page(browser, javascript=True) as page:
        sign_in(page, visited, live_server.url, caseworker)
        page.goto(f"{live_server.url}/records/{centre_record.pk}/")
        expect(page.locator("[data-hand-offs]")).to_contain_text(
            f"recorded it as a hate crime, reference {police_record.reference}"
        )
        assert_accessible(page, visited)
