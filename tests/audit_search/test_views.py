"""The audit search page: who may use it, what each sees, filters, paging, and that searching is audited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_record
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.audit.testing import audit_events_bulk_create
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases import actions as record_actions
from umbrella.cases.models import ShareScope
from umbrella.cases.selectors import record_detail
from umbrella.sharing.services import share_grant

URL = "/audit/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(response: Any) -> list[str]:
    """Each results row as plain text."""
    body = response.content.decode()
    table = body.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0] if "<tbody" in body else ""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in table.split("</tr>") if "<td" in row]


@pytest.fixture
def views(world: Any) -> dict[str, Any]:
    """The force's record viewed by an officer and (shared) by a caseworker; another force's record viewed there."""
    force_record = make_record(actor=world.officer)
    other_record = make_record(actor=world.outsider)
    share_grant(
        actor=world.supervisor, record=force_record, organisation=world.centre, scope=ShareScope.ANONYMISED,
        legal_basis="Crime and Disorder Act 1998 s115", reason="Victim support referral",
    )
    record_detail(user=world.officer, record_id=force_record.pk)
    record_detail(user=world.caseworker, record_id=force_record.pk)
    record_detail(user=world.outsider, record_id=other_record.pk)
    return {"force_record": force_record, "other_record": other_record}


def test_the_url_is_the_audit_search_page() -> None:
    assert reverse("audit_search:search") == URL


def test_only_supervisors_and_system_administrators_reach_it(world: Any, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))
    for persona in ("officer", "call_handler", "hub_reviewer", "analyst", "caseworker", "other_caseworker",
                    "scrutiny_member", "org_admin", "outsider"):
        assert _client(getattr(world, persona)).get(URL).status_code == 404, persona
    assert not AuditEvent.objects.filter(action=actions.AUDIT_SEARCH).exists()
    for persona in ("supervisor", "system_admin"):
        assert _client(getattr(world, persona)).get(URL).status_code == 200, persona


def test_who_viewed_this_victim_s_record_in_the_last_month(world: Any, views: dict[str, Any]) -> None:
    record = views["force_record"]
    today = timezone.localdate()
    response = _client(world.supervisor).get(URL, {
        "reference": record.reference.lower(), "action": record_actions.RECORD_VIEW,
        "occurred_from": (today - timedelta(days=30)).isoformat(), "occurred_to": today.isoformat(),
    })
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == 2
    # Newest first: the partner's caseworker, then the force's officer.
    assert rows[0].split(" Record: view ")[0].endswith("caseworker Tell Us Centre")
    assert "officer Metropolitan Police Service" in rows[1]
    assert all(record.reference in row and "Access: " in row for row in rows)
    assert "2 events" in response.content.decode()

    earlier = _client(world.supervisor).get(URL, {
        "reference": record.reference, "occurred_to": (today - timedelta(days=1)).isoformat(),
    })
    assert _rows(earlier) == [] and "No events match these filters." in earlier.content.decode()


def test_a_supervisor_sees_only_their_own_organisation_s_part(world: Any, views: dict[str, Any]) -> None:
    page = _client(world.supervisor).get(URL).content.decode()
    assert views["force_record"].reference in page
    assert views["other_record"].reference not in page
    assert "outsider" not in page
    # Asking for another force's record directly finds nothing either.
    other = _client(world.supervisor).get(URL, {"reference": views["other_record"].reference})
    assert _rows(other) == []


def test_a_system_administrator_sees_every_organisation(world: Any, views: dict[str, Any]) -> None:
    response = _client(world.system_admin).get(URL, {"actor": "OUTSIDER"})
    rows = _rows(response)
    assert [row for row in rows if views["other_record"].reference in row] == rows
    assert any("Record: create" in row for row in rows) and any("Record: view" in row for row in rows)


def test_searching_is_itself_audited_without_personal_data(world: Any, views: dict[str, Any]) -> None:
    reference = views["force_record"].reference
    _client(world.supervisor).get(URL, {"reference": reference, "action": record_actions.RECORD_VIEW, "page": "1"})
    event = AuditEvent.objects.filter(action=actions.AUDIT_SEARCH).get()
    assert event.actor_id == world.supervisor.pk and event.organisation_id_snapshot == world.force.pk
    assert event.changes == {
        "filters": {"reference": reference, "action": record_actions.RECORD_VIEW}, "page": 1, "results": 2,
    }
    assert audit_chain_verify().ok


def test_invalid_filters_show_errors_and_search_nothing(world: Any) -> None:
    response = _client(world.supervisor).get(URL, {"occurred_from": "2026-03-10", "occurred_to": "2026-03-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "To must be the same as or after from" in page
    assert not AuditEvent.objects.filter(action=actions.AUDIT_SEARCH).exists()
    bad = _client(world.supervisor).get(URL, {"occurred_from": "yesterday-ish"})
    assert "From must be a real date" in bad.content.decode()


def test_results_are_paged_with_a_bounded_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    audit_events_bulk_create(120, actor_id=world.officer.pk, actor_display="officer", organisation_id=world.force.pk)
    client = _client(world.supervisor)
    with django_assert_max_num_queries(14):
        first = client.get(URL, {"actor": "officer"})
    assert len(_rows(first)) == 50 and "Page 1 of 3" in first.content.decode()
    assert 'href="?actor=officer&amp;page=2"' in first.content.decode()
    with django_assert_max_num_queries(14):
        last = client.get(URL, {"actor": "officer", "page": "3"})
    assert len(_rows(last)) == 20 and 'rel="prev"' in last.content.decode() and 'rel="next"' not in last.content.decode()


def test_changes_read_as_words_not_codes_or_iso_dates(db: None) -> None:
    from tests.factories import code
    from umbrella.audit_search.views import describe_changes

    code("borough", "E09000012", "Hackney", gss="E09000012")
    text = describe_changes({
        "occurred_from": {"from": "2026-12-03T09:45:00+00:00", "to": "2026-12-02"},
        "borough_code": "E09000012", "ethnicity": "not_known", "status": "recorded", "reason": "Victim asked",
    })
    assert text == ("Occurred from: 3 December 2026, 09:45 → 2 December 2026; Borough code: Hackney; "
                    "Ethnicity: Not known; Status: recorded; Reason: Victim asked")


def test_the_log_links_only_to_records_the_searcher_may_open(world: Any, views: dict[str, Any]) -> None:
    from umbrella.cases.selectors import record_list

    response = _client(world.system_admin).get(URL, {"actor": "OUTSIDER"})
    body = response.content.decode()
    record = views["other_record"]
    can_open = record_list(user=world.system_admin).filter(pk=record.pk).exists()
    assert not can_open  # system administrators run the service; they do not read victims' records
    assert (f'href="/records/{record.pk}/"' in body) is can_open
    assert record.reference in body  # named either way: the event is shown, only the link is not
    supervisor = _client(world.supervisor).get(URL, {"actor": "OFFICER"}).content.decode()
    assert f'href="/records/{views["force_record"].pk}/"' in supervisor  # their own force's record
