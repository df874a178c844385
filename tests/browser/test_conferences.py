"""A case goes to a multi-agency risk conference in a real browser: the officer refers it from the
record page, the agenda PDF lists it, an action is agreed for the victim service, and the victim
service's caseworker marks it done. Every conference page visited is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory, make_record
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import OrganisationKind
from umbrella.conferences import services
from umbrella.conferences.models import AgreedAction, ConferenceReferral

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]


def sign_in(page: Any, base_url: str, user: User, visited: list[str]) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_a_case_goes_to_a_conference_and_a_partner_completes_an_action(
    browser: Any, live_server: Any, reference_data: None, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    force = OrganisationFactory(name="Metropolitan Police Service", slug="mps", reference_prefix="MPS")
    harbour = OrganisationFactory(name="Harbour Victim Service", slug="harbour", reference_prefix="HVS",
                                  kind=OrganisationKind.VICTIM_SERVICE)
    officer: User = UserFactory(username="officer", first_name="Priya", last_name="Sandhu",  # type: ignore[assignment]
                                organisation=force, role=Role.OFFICER)
    partner: User = UserFactory(username="grace", first_name="Grace", last_name="Mensah",  # type: ignore[assignment]
                                organisation=harbour, role=Role.PARTNER_CASEWORKER)
    record = make_record(actor=officer)
    conference = services.conference_create(
        actor=officer, title="Westminster risk conference", meets_at=timezone.now() + timedelta(days=7),
        location="Charing Cross police station",
    )
    services.attendee_add(actor=officer, conference=conference, organisation=harbour)
    visited: list[str] = []

    with open_page(browser, javascript=True) as page:
        sign_in(page, live_server.url, officer, visited)
        # The record page offers the referral.
        page.goto(f"{live_server.url}/records/{record.pk}/")
        expect(page.get_by_role("heading", name="Risk conferences")).to_be_visible()
        assert_accessible(page, visited)
        page.get_by_role("link", name="Refer to a conference").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a risk conference")
        assert_accessible(page, visited)
        # Submitted without a rationale, professional judgement is refused with an error summary.
        page.get_by_label("Conference", exact=True).select_option(label=f"Westminster risk conference, {timezone.localtime(conference.meets_at):%d %B %Y} (Metropolitan Police Service)")
        page.get_by_label("Professional judgement").check()
        page.get_by_role("button", name="Refer the case").click()
        expect(page.get_by_text("There is a problem")).to_be_visible()
        assert_accessible(page, visited)
        page.get_by_label("Why the case should be discussed").fill("Victim targeted three times in a month.")
        page.get_by_label("Agenda summary for the attending agencies").fill("Racist abuse at the victim's door.")
        page.get_by_role("button", name="Refer the case").click()
        expect(page.get_by_role("heading", name=f"1. {record.reference}")).to_be_visible()
        assert_accessible(page, visited)

        # The agenda, as a print view and as a PDF, lists the case.
        page.get_by_role("button", name="Print view of the agenda").click()
        expect(page.get_by_role("heading", name=f"1. {record.reference}")).to_be_visible()
        assert_accessible(page, visited)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the agenda (PDF)").click()
        saved = tmp_path / "agenda.pdf"
        download_info.value.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"%PDF") and record.reference.encode() in content

        # The conference agrees an action for the victim service.
        referral = ConferenceReferral.objects.get(record=record)
        page.goto(f"{live_server.url}/conferences/referrals/{referral.pk}/actions/add/")
        assert_accessible(page, visited)
        page.get_by_label("Action agreed").fill("Offer the victim a support worker")
        page.get_by_label("Organisation responsible").select_option(label="Harbour Victim Service")
        due = timezone.localdate() + timedelta(days=5)
        group = page.get_by_role("group", name="Due date")
        group.get_by_label("Day", exact=True).fill(str(due.day))
        group.get_by_label("Month", exact=True).fill(str(due.month))
        group.get_by_label("Year", exact=True).fill(str(due.year))
        page.get_by_role("button", name="Record action").click()
        expect(page.get_by_role("cell", name="Offer the victim a support worker", exact=True)).to_be_visible()
        with page.expect_navigation():
            page.get_by_role("link", name="Minutes").click()
        assert_accessible(page, visited)

    with open_page(browser, javascript=True) as page:
        sign_in(page, live_server.url, partner, visited)
        page.get_by_role("link", name="Risk conferences").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Risk conferences")
        assert_accessible(page, visited)
        page.get_by_role("link", name="Westminster risk conference").click()
        # The partner cannot open the police record, but sees what the force shared for the conference.
        expect(page.get_by_text("Racist abuse at the victim's door.")).to_be_visible()
        expect(page.get_by_role("link", name="Open the record")).to_have_count(0)
        assert_accessible(page, visited)
        with page.expect_navigation():
            page.get_by_role("link", name="Mark as done").click()
        assert_accessible(page, visited)
        page.get_by_role("button", name="Mark as done").click()
        expect(page.get_by_text("marked as done")).to_be_visible()
        assert_accessible(page, visited)

    action = AgreedAction.objects.get(referral=referral)
    assert action.status == "done" and action.completed_by == partner
    assert len(visited) == 11, visited
