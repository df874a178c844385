from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record
from tests.risk.factories import assess, calm_answers, high_answers, medium_answers
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.core.reads import read_scope
from umbrella.risk import services
from umbrella.risk.models import (
    Question,
    Questionnaire,
    QuestionnaireStatus,
    RiskAssessment,
    ScoringRule,
)
from umbrella.risk.seed import DEFAULT_QUESTIONS, seed_default_questionnaire
from umbrella.risk.selectors import (
    answers_view,
    assessment_text,
    latest_assessment,
    override_rationale,
    scored_reasons,
)
from umbrella.sharing.services import share_grant

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_has_about_fifteen_questions() -> None:
    first = seed_default_questionnaire()
    second = seed_default_questionnaire()
    assert first.pk == second.pk
    assert Questionnaire.objects.count() == 1
    assert first.questions.count() == len(DEFAULT_QUESTIONS) == 15
    assert first.status == QuestionnaireStatus.ACTIVE


def _reasons(assessment):  # type: ignore[no-untyped-def]
    with read_scope("test assertion", audited=True):
        return scored_reasons(assessment)


def test_the_answers_are_sealed_and_their_read_is_audited(world: World) -> None:
    record = make_record(actor=world.officer)
    assessment = assess(world.officer, record, high_answers())
    stored = RiskAssessment.objects.values("answers", "computed_reasons").get(pk=assessment.pk)
    assert all(value.startswith("enc1:") for value in stored.values())
    assert "threat_to_kill" not in str(stored)
    before = AuditEvent.objects.filter(action=actions.PERSONAL_DATA_READ).count()
    text = assessment_text(user=world.officer, assessment=assessment)
    assert {a.key: a.answer_label for a in text.answers}["threat_to_kill"] == "Yes"
    read = AuditEvent.objects.filter(action=actions.PERSONAL_DATA_READ).order_by("-id")
    assert read.count() == before + 1 and read[0].actor_id == world.officer.pk and read[0].record_id == record.pk


def test_levels_come_from_the_answers(world: World) -> None:
    record = make_record(actor=world.officer)
    assert assess(world.officer, record, calm_answers()).level == "standard"
    medium = assess(world.officer, record, medium_answers())
    assert medium.level == "medium" and medium.score == 6
    assert {r["key"] for r in _reasons(medium)} == {"injury_or_weapon", "escalating"}
    high = assess(world.officer, record, high_answers())
    # A threat to kill means at least high, whatever the score.
    assert high.level == "high" and high.score < 12
    assert any(r["forces_high"] for r in _reasons(high))
    assert high.victim_feels_targeted


def test_changing_points_in_a_new_version_changes_the_level(world: World) -> None:
    record = make_record(actor=world.officer)
    before = assess(world.officer, record, medium_answers())
    assert before.level == "medium"
    draft = services.questionnaire_new_draft(actor=world.system_admin)
    question = draft.questions.get(key="escalating")
    services.question_update(
        actor=world.system_admin, question=question, text=question.text, help_text="", points={"yes": 9}, forces_high=set()
    )
    services.questionnaire_activate(actor=world.system_admin, questionnaire=draft)
    after = assess(world.officer, record, medium_answers())
    assert after.score == 12 and after.level == "high"
    assert after.questionnaire.version == 2
    # The earlier assessment keeps the version, wording and points it used.
    before.refresh_from_db()
    assert before.questionnaire.version == 1 and before.level == "medium"
    assert next(row for row in answers_view(before) if row.key == "escalating").points == 3
    assert Questionnaire.objects.get(version=1).status == QuestionnaireStatus.RETIRED
    assert AuditEvent.objects.filter(action="risk.question_edit").exists()


def test_threshold_change_and_only_drafts_change(world: World) -> None:
    active = seed_default_questionnaire()
    with pytest.raises(ValidationError):
        services.questionnaire_update(actor=world.system_admin, questionnaire=active, medium_threshold=1, high_threshold=2)
    draft = services.questionnaire_new_draft(actor=world.system_admin)
    assert draft.questions.count() == active.questions.count()
    assert ScoringRule.objects.filter(questionnaire=draft).count() == ScoringRule.objects.filter(questionnaire=active).count()
    services.questionnaire_update(actor=world.system_admin, questionnaire=draft, medium_threshold=3, high_threshold=5)
    services.questionnaire_activate(actor=world.system_admin, questionnaire=draft)
    record = make_record(actor=world.officer)
    assert assess(world.officer, record, {**calm_answers(), "injury_or_weapon": "yes"}).level == "medium"


def test_only_system_admins_edit_the_questionnaire(world: World) -> None:
    seed_default_questionnaire()
    with pytest.raises(PermissionDenied):
        services.questionnaire_new_draft(actor=world.supervisor)


def test_override_keeps_both_levels(world: World) -> None:
    record = make_record(actor=world.officer)
    assessment = assess(world.officer, record, calm_answers())
    with pytest.raises(ValidationError):
        services.assessment_override(actor=world.officer, assessment=assessment, level="high", rationale="  ")
    services.assessment_override(
        actor=world.officer, assessment=assessment, level="high", rationale="Suspect seen outside the house again"
    )
    assessment.refresh_from_db()
    assert assessment.computed_level == "standard" and assessment.override_level == "high"
    assert assessment.level == "high"
    assert "Suspect" not in assessment.override_rationale  # encrypted at rest
    assert override_rationale(assessment) == "Suspect seen outside the house again"
    event = AuditEvent.objects.get(action="risk.override")
    assert "Suspect" not in str(event.changes)


def test_every_question_must_be_answered(world: World) -> None:
    record = make_record(actor=world.officer)
    answers = calm_answers()
    del answers["isolated"]
    with pytest.raises(ValidationError) as caught:
        assess(world.officer, record, answers)
    assert "q_isolated" in caught.value.message_dict


def test_only_the_owning_organisation_assesses(world: World) -> None:
    record = make_record(actor=world.caseworker)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - out of scope is DoesNotExist
        assess(world.officer, record)
    assert caught.type.__name__ == "DoesNotExist"
    share_grant(actor=world.caseworker, record=record, organisation=world.force, scope="full", reason="Victim asked", consent_reference="CONSENT-1")
    with pytest.raises(PermissionDenied):
        assess(world.officer, record)
    assessment = assess(world.caseworker, record)
    # Readers of the record see the assessment; others get nothing.
    assert latest_assessment(user=world.officer, record=record) == assessment
    assert latest_assessment(user=world.other_caseworker, record=record) is None


def test_plan_actions_need_medium_or_high(world: World) -> None:
    record = make_record(actor=world.officer)
    standard = assess(world.officer, record, calm_answers())
    with pytest.raises(ValidationError):
        services.action_add(
            actor=world.officer, assessment=standard, action_type="patrol", description="Extra patrols",
            assigned_organisation=world.force, due_date=timezone.localdate() + timedelta(days=7),
        )


def test_assigned_user_must_belong_to_the_assigned_organisation(world: World) -> None:
    record = make_record(actor=world.officer)
    high = assess(world.officer, record, high_answers())
    with pytest.raises(ValidationError) as caught:
        services.action_add(
            actor=world.officer, assessment=high, action_type="target_hardening", description="Fit locks",
            assigned_organisation=world.centre, assigned_user=world.officer,
            due_date=timezone.localdate() + timedelta(days=7),
        )
    assert "assigned_user" in caught.value.message_dict


def test_partner_completes_their_action_but_not_others(world: World) -> None:
    record = make_record(actor=world.officer)
    high = assess(world.officer, record, high_answers())
    due = timezone.localdate() + timedelta(days=7)
    theirs = services.action_add(
        actor=world.officer, assessment=high, action_type="target_hardening", description="Fit a letterbox guard",
        assigned_organisation=world.centre, due_date=due,
    )
    ours = services.action_add(
        actor=world.officer, assessment=high, action_type="patrol", description="Patrol the street nightly",
        assigned_organisation=world.force, assigned_user=world.officer, due_date=due,
    )
    assert theirs.plan_id == ours.plan_id
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=world.caseworker, action=ours, outcome_note="done")
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=world.other_caseworker, action=theirs, outcome_note="done")
    done = services.action_complete(actor=world.caseworker, action=theirs, outcome_note="Guard fitted on Monday")
    assert done.status == "done" and done.completed_by == world.caseworker
    with pytest.raises(ValidationError):
        services.action_complete(actor=world.caseworker, action=theirs, outcome_note="again")


def test_question_rules_are_data(world: World) -> None:
    questionnaire = seed_default_questionnaire()
    assert Question.objects.filter(questionnaire=questionnaire, section="victim_view").exists()
    assert ScoringRule.objects.filter(questionnaire=questionnaire, forces_high=True).count() == 1


def test_perpetrator_work_is_a_plan_action_any_agency_can_be_given(world: World) -> None:
    """Prevention, enforcement and diversion with the suspect: a tenancy action for a housing
    provider, an awareness course for a centre, assigned and completed as other actions are."""
    from tests.factories import OrganisationFactory
    from umbrella.agencies.models import OrganisationKind

    housing = OrganisationFactory(name="Tower Homes", slug="tower-homes", reference_prefix="TH",
                                  kind=OrganisationKind.HOUSING_PROVIDER)
    record = make_record(actor=world.officer)
    high = assess(world.officer, record, high_answers())
    due = timezone.localdate() + timedelta(days=14)
    tenancy = services.action_add(
        actor=world.officer, assessment=high, action_type="tenancy_action",
        description="Warning letter under the tenancy agreement", assigned_organisation=housing, due_date=due,
    )
    course = services.action_add(
        actor=world.officer, assessment=high, action_type="awareness_course",
        description="Offer the hate crime awareness course as diversion", assigned_organisation=world.centre, due_date=due,
    )
    assert (tenancy.get_action_type_display(), course.assigned_organisation) == (
        "Tenancy action against the suspect (housing provider)", world.centre)
    assert services.action_complete(actor=world.caseworker, action=course, outcome_note="Booked for May").status == "done"
