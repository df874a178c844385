"""The conference pages as users meet them: scoping (404 for outsiders), agenda order, the PDF,
completing an action, the record panel, the worklist and the navigation link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conferences.factories import make_conference, refer
from tests.conftest import World
from tests.factories import make_record
from umbrella.accounts.models import User
from umbrella.audit.models import AuditEvent
from umbrella.conferences import actions, services
from umbrella.conferences.models import AgreedAction, Conference, Criterion
from umbrella.conferences.pdf import agenda_pdf
from umbrella.conferences.selectors import agenda
from umbrella.core.extensions import navigation_entries
from umbrella.core.worklist import worklist_items

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def conference(world: World) -> Conference:
    return make_conference(host_user=world.officer, attending=[world.centre])


@pytest.mark.parametrize("name", ["detail", "agenda", "agenda-pdf", "minutes", "minutes-pdf"])
def test_a_non_attending_organisation_gets_404(world: World, conference: Conference, name: str) -> None:
    url = reverse(f"conferences:{name}", kwargs={"conference_id": conference.pk})
    assert client_for(world.other_caseworker).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.caseworker).get(url).status_code == 200


def test_information_shared_by_one_attendee_is_shown_to_another(world: World, conference: Conference) -> None:
    record = make_record(actor=world.officer)
    referral = refer(actor=world.officer, record=record, conference=conference)
    response = client_for(world.caseworker).post(
        reverse("conferences:information-add", kwargs={"referral_id": referral.pk}),
        {"text": "Victim has asked us for help with a housing move."},
    )
    assert response.status_code == 302
    page = client_for(world.officer).get(reverse("conferences:detail", kwargs={"conference_id": conference.pk}))
    assert "help with a housing move" in page.content.decode()
    # The outsider cannot post information either.
    refused = client_for(world.other_caseworker).post(
        reverse("conferences:information-add", kwargs={"referral_id": referral.pk}), {"text": "x"}
    )
    assert refused.status_code == 404


def test_agenda_lists_high_risk_first_then_repeats(world: World, conference: Conference,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    judgement = make_record(actor=world.officer)
    refer(actor=world.officer, record=judgement, conference=conference)
    repeat = make_record(actor=world.officer)
    earlier = make_conference(host_user=world.officer, title="Earlier", meets_at=timezone.now() - timedelta(days=40))
    services.conference_change_status(actor=world.officer, conference=earlier, status="held")
    refer(actor=world.officer, record=repeat, conference=None).__class__.objects.filter(record=repeat).update(
        conference=earlier
    )
    refer(actor=world.officer, record=repeat, conference=conference, criteria=[Criterion.REPEAT])
    high = make_record(actor=world.officer)
    monkeypatch.setattr(services, "latest_risk_level", lambda **kwargs: "high")
    refer(actor=world.officer, record=high, conference=conference, criteria=[Criterion.HIGH_RISK])
    items = agenda(user=world.officer, conference=conference)
    assert [i.reference for i in items] == [high.reference, repeat.reference, judgement.reference]
    page = client_for(world.caseworker).get(reverse("conferences:agenda", kwargs={"conference_id": conference.pk}))
    body = page.content.decode()
    assert body.index(high.reference) < body.index(repeat.reference) < body.index(judgement.reference)


def test_the_agenda_pdf_lists_the_cases_and_is_audited(world: World, conference: Conference) -> None:
    record = make_record(actor=world.officer)
    refer(actor=world.officer, record=record, conference=conference, summary="Victim’s flat targeted – twice")
    response = client_for(world.caseworker).get(
        reverse("conferences:agenda-pdf", kwargs={"conference_id": conference.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert record.reference.encode() in response.content
    assert AuditEvent.objects.filter(action=actions.AGENDA_PDF, actor=world.caseworker).count() == 1
    compressed = agenda_pdf(conference=conference, items=agenda(user=world.officer, conference=conference),
                            attendees=["A"], compress=True)
    assert compressed.startswith(b"%PDF")


def test_the_minutes_pdf_holds_the_minutes(world: World, conference: Conference) -> None:
    services.minutes_save(actor=world.officer, conference=conference, text="Agreed to meet again in May.")
    response = client_for(world.caseworker).get(
        reverse("conferences:minutes-pdf", kwargs={"conference_id": conference.pk})
    )
    assert response.content.startswith(b"%PDF") and b"Agreed to meet again in May." in response.content


def test_a_partner_completes_its_action_from_the_page(world: World, conference: Conference) -> None:
    referral = refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
    officer = client_for(world.officer)
    due = timezone.localdate() + timedelta(days=3)
    response = officer.post(reverse("conferences:action-add", kwargs={"referral_id": referral.pk}), {
        "description": "Call the victim about a safety plan", "assigned_organisation": str(world.centre.pk),
        "due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year,
    })
    assert response.status_code == 302
    action = AgreedAction.objects.get()
    url = reverse("conferences:action-complete", kwargs={"action_id": action.pk})
    assert client_for(world.hub_reviewer).post(url).status_code == 403
    assert client_for(world.caseworker).post(url).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_by == world.caseworker


def test_forms_show_errors_in_the_summary(world: World, conference: Conference) -> None:
    record = make_record(actor=world.officer)
    response = client_for(world.officer).post(reverse("conferences:refer", kwargs={"record_id": record.pk}), {
        "conference": str(conference.pk), "criteria": ["escalation"], "rationale": "",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Explain why the case meets" in body


def test_referring_from_the_record_page(world: World, conference: Conference) -> None:
    record = make_record(actor=world.officer)
    officer = client_for(world.officer)
    detail = officer.get(reverse("cases:record-detail", kwargs={"record_id": record.pk})).content.decode()
    assert "Refer to a conference" in detail and "Not referred" in detail
    response = officer.post(reverse("conferences:refer", kwargs={"record_id": record.pk}), {
        "conference": str(conference.pk), "criteria": ["professional_judgement"],
        "rationale": "Victim is isolated and frightened.", "summary": "Racist graffiti on the door.",
    })
    assert response.status_code == 302
    detail = officer.get(reverse("cases:record-detail", kwargs={"record_id": record.pk})).content.decode()
    assert f"Referred to {conference.title}" in detail


def test_the_list_shows_only_conferences_taken_part_in(world: World, conference: Conference,
                                                       django_assert_max_num_queries: Any) -> None:
    hidden = make_conference(host_user=world.outsider, title="Other force conference")
    for _ in range(5):
        make_conference(host_user=world.officer, attending=[world.centre], title="Another")
    client = client_for(world.caseworker)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("conferences:list")).content.decode()
    assert conference.title in body and hidden.title not in body
    assert client_for(world.analyst).get(reverse("conferences:list")).status_code == 403


def test_worklist_and_navigation(world: World, conference: Conference) -> None:
    referral = refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
    services.action_agree(actor=world.officer, referral=referral, description="Later",
                          assigned_organisation=world.centre, due_on=timezone.localdate() + timedelta(days=9))
    services.action_agree(actor=world.officer, referral=referral, description="Overdue",
                          assigned_organisation=world.centre, due_on=timezone.localdate() - timedelta(days=2))
    items = [item for item in worklist_items(world.caseworker) if item.kind in {"Conference action", "Risk conference"}]
    kinds = [item.kind for item in items]
    assert kinds.count("Conference action") == 2 and "Risk conference" in kinds
    actions_only = [item for item in items if item.kind == "Conference action"]
    assert actions_only[0].due_at is not None and actions_only[0].due_at < timezone.now()  # overdue first
    assert all(item.record_reference == referral.record.reference for item in actions_only)
    assert not [i for i in worklist_items(world.other_caseworker) if i.kind.startswith(("Conference", "Risk conf"))]
    assert "Risk conferences" in [e.text for e in navigation_entries(world.caseworker)]
    assert "Risk conferences" not in [e.text for e in navigation_entries(world.analyst)]


def test_the_conference_page_reads_in_a_few_queries(world: World, conference: Conference,
                                                    django_assert_max_num_queries: Any) -> None:
    for _ in range(5):
        referral = refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
        services.information_add(actor=world.caseworker, referral=referral, text="Known to us")
        services.action_agree(actor=world.officer, referral=referral, description="Visit",
                              assigned_organisation=world.centre, due_on=timezone.localdate())
    client = client_for(world.caseworker)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("conferences:detail", kwargs={"conference_id": conference.pk}))
    assert response.content.decode().count("Known to us") == 5


def test_the_borough_is_chosen_by_name_and_shown_by_name(world: World) -> None:
    from tests.factories import code

    code("borough", "E09000014", "Haringey", gss="E09000014")
    client = client_for(world.officer)
    page = client.get(reverse("conferences:create")).content.decode()
    assert "Haringey" in page and "GSS code" not in page
    response = client.post(reverse("conferences:create"), {
        "title": "Haringey hate crime MARAC", "borough_code": "E09000014", "location": "Civic centre",
        "meets_at_day": "3", "meets_at_month": "12", "meets_at_year": "2026", "meets_at_hour": "10", "meets_at_minute": "00",
    })
    assert response.status_code == 302
    conference = Conference.objects.get(title="Haringey hate crime MARAC")
    assert conference.borough_code == "E09000014"
    detail = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Haringey" in detail and "E09000014" not in detail
