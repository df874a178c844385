from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record
from tests.risk.factories import assess, calm_answers, high_answers
from umbrella.risk.hooks import risk_worklist_items
from umbrella.risk.models import RiskAction, RiskAssessment
from umbrella.risk.seed import seed_default_questionnaire
from umbrella.risk.services import action_add

pytestmark = pytest.mark.django_db


def test_officer_assesses_on_one_page(world: World, client: Client) -> None:
    record = make_record(actor=world.officer)
    seed_default_questionnaire()
    client.force_login(world.officer)
    url = reverse("risk:assess", kwargs={"record_id": record.pk})
    page = client.get(url).content.decode()
    assert "The victim&#x27;s vulnerability" in page and "govuk-radios" in page
    empty = client.post(url, {})
    assert empty.status_code == 400  # like every form page: the error summary, and 400
    assert "There is a problem" in empty.content.decode()
    answers = {f"q_{key}": value for key, value in high_answers().items()}
    response = client.post(url, answers)
    assert response.status_code == 302
    assert RiskAssessment.objects.get(record=record).computed_level == "high"
    result = client.get(response["Location"]).content.decode()
    assert "High" in result and "Has anyone threatened to kill" in result


def test_override_page_shows_both_levels(world: World, client: Client) -> None:
    record = make_record(actor=world.officer)
    assessment = assess(world.officer, record, calm_answers())
    client.force_login(world.officer)
    url = reverse("risk:override", kwargs={"assessment_id": assessment.pk})
    assert "Enter why you are changing the level" in client.post(url, {"level": "high"}).content.decode()
    client.post(url, {"level": "high", "rationale": "Known hostile neighbour"})
    page = client.get(reverse("risk:assessment", kwargs={"assessment_id": assessment.pk})).content.decode()
    assert "Changed by the assessor to" in page and "Standard" in page and "Known hostile neighbour" in page


def test_partner_sees_minimum_context_and_completes(world: World, client: Client) -> None:
    record = make_record(actor=world.officer, narrative="A secret narrative about the victim's street.")
    high = assess(world.officer, record, high_answers())
    action = action_add(
        actor=world.officer, assessment=high, action_type="housing_move", description="Offer a management move",
        assigned_organisation=world.centre, due_date=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(world.caseworker)
    listing = client.get(reverse("risk:actions")).content.decode()
    assert record.reference in listing and "Housing move" in listing
    page = client.get(reverse("risk:action", kwargs={"action_id": action.pk})).content.decode()
    assert "Offer a management move" in page and record.reference in page
    assert "secret narrative" not in page and "Amina" not in page
    assert client.get(reverse("cases:record-detail", kwargs={"record_id": record.pk})).status_code == 404
    response = client.post(reverse("risk:action", kwargs={"action_id": action.pk}), {"outcome_note": "Move offered"})
    assert response.status_code == 302
    assert RiskAction.objects.get(pk=action.pk).status == "done"


def test_overdue_actions_on_the_owners_worklist(world: World) -> None:
    record = make_record(actor=world.officer)
    high = assess(world.officer, record, high_answers())
    action = action_add(
        actor=world.officer, assessment=high, action_type="target_hardening", description="Fit locks",
        assigned_organisation=world.centre, due_date=timezone.localdate() + timedelta(days=1),
    )
    partner_items = risk_worklist_items(world.caseworker)
    assert [(i.kind, i.record_reference) for i in partner_items] == [("Risk plan action", record.reference)]
    assert not [i for i in risk_worklist_items(world.officer) if i.kind == "Overdue risk plan action"]
    RiskAction.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    overdue = [i for i in risk_worklist_items(world.officer) if i.kind == "Overdue risk plan action"]
    assert len(overdue) == 1 and overdue[0].assignee_id == world.officer.pk
    assert "Fit locks" not in overdue[0].title
    assert risk_worklist_items(world.other_caseworker) == []
    assert risk_worklist_items(world.outsider) == []


def test_worklist_has_reassessments_and_few_queries(world: World, django_assert_max_num_queries: object) -> None:
    for _ in range(3):
        record = make_record(actor=world.officer)
        high = assess(world.officer, record, high_answers())
        RiskAssessment.objects.filter(pk=high.pk).update(assessed_at=timezone.now() - timedelta(days=30))
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        items = risk_worklist_items(world.officer)
    assert len([i for i in items if "28 days" in i.title]) == 3


def test_record_panel_on_record_detail(world: World, client: Client) -> None:
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    page = client.get(reverse("cases:record-detail", kwargs={"record_id": record.pk})).content.decode()
    assert "Risk has not been assessed" in page and reverse("risk:assess", kwargs={"record_id": record.pk}) in page
    assess(world.officer, record, high_answers())
    page = client.get(reverse("cases:record-detail", kwargs={"record_id": record.pk})).content.decode()
    assert "govuk-tag--red" in page


def test_admin_edits_questionnaire_through_pages(world: World, client: Client) -> None:
    active = seed_default_questionnaire()
    client.force_login(world.system_admin)
    response = client.post(reverse("risk:questionnaire-new-draft"))
    draft_id = int(response["Location"].rstrip("/").split("/")[-1])
    question = active.questions.get(key="isolated")
    draft_question = type(question).objects.get(questionnaire_id=draft_id, key="isolated")
    url = reverse("risk:question-edit", kwargs={"questionnaire_id": draft_id, "question_id": draft_question.pk})
    client.post(url, {"text": question.text, "help_text": "", "points_yes": "20", "points_no": "0", "points_dont_know": "0"})
    client.post(reverse("risk:questionnaire-activate", kwargs={"questionnaire_id": draft_id}))
    record = make_record(actor=world.officer)
    assert assess(world.officer, record, {**calm_answers(), "isolated": "yes"}).level == "high"
