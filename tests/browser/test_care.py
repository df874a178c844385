"""Victims' Code timers in a real browser: the victim update due after a key event shows on the
record and on the worklist; the officer records a contact and the update shows as met. Every page
visited is checked with axe-core."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import open_page
from tests.factories import TEST_PASSWORD, make_record
from umbrella.accounts.models import User
from umbrella.care.models import KeyEvent, Timer, TimerKind, TimerStatus
from umbrella.care.services import victim_code_event

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("flushable_audit_table")]

# A Wednesday morning: the update is due five working days later, the next Wednesday, inside the
# worklist's "next 7 days". From a Saturday it would fall on the second Monday, outside it, so the
# test runs on this clock, not today's (the live server shares the process, so the clock too).
WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@time_machine.travel(WEDNESDAY_MORNING, tick=True)
def test_victim_update_due_then_met(browser: Any, live_server: Any, reference_data: None, officer: User) -> None:
    from playwright.sync_api import expect

    assert timezone.now().weekday() == 2

    record = make_record(actor=officer)
    victim_code_event(actor=officer, record=record, event=KeyEvent.ARREST, occurred_at=timezone.now())
    visited: list[str] = []
    with open_page(browser, javascript=True) as page:
        def check() -> None:
            assert_accessible(page, visited)

        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Username", exact=True).fill(officer.username)
        page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()

        page.get_by_role("link", name="Worklist").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
        update = page.get_by_role("link", name="Tell the victim about a key event")
        expect(update).to_be_visible()
        check()

        update.click()
        timers = page.locator("#care-timers")
        expect(timers).to_contain_text("Tell the victim about a key event: Due")
        check()

        page.get_by_role("link", name="Record a contact with the victim").click()
        page.get_by_label("Phone", exact=True).check()
        page.get_by_label("What was the victim told?").fill("Told the victim about the arrest and bail conditions.")
        check()
        page.get_by_role("button", name="Save contact").click()
        expect(page.get_by_text("Contact with the victim recorded")).to_be_visible()
        expect(page.locator("#care-timers")).to_contain_text("Tell the victim about a key event: Met")
        check()

        page.get_by_role("link", name="Worklist").first.click()
        # Wait for the worklist itself: "no such link" is already true of the page being left, and
        # axe run mid-navigation sees an empty document.
        page.wait_for_url("**/care/worklist/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("link", name="Tell the victim about a key event")).to_have_count(0)
        check()

    timer = Timer.objects.get(record=record, kind=TimerKind.KEY_EVENT_UPDATE)
    assert timer.status == TimerStatus.MET and timer.met_by_contact is not None
