"""Every write of the risk app. Keyword-only, typed, atomic, each writing its audit event."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from umbrella.agencies.models import Organisation
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Person, PersonRole, Record, RecordPerson
from umbrella.crypto.fields import encrypt
from umbrella.risk import actions
from umbrella.risk.models import (
    ANSWERS_COLUMN,
    DESCRIPTION_COLUMN,
    LEVEL_RANK,
    OUTCOME_COLUMN,
    RATIONALE_COLUMN,
    REASONS_COLUMN,
    ActionStatus,
    ActionType,
    AssessmentReason,
    PromptReason,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    ReassessmentPrompt,
    RiskAction,
    RiskAssessment,
    RiskLevel,
    RiskPlan,
    ScoringRule,
)
from umbrella.risk.policy import can_assess, can_edit_questionnaire, can_work_actions
from umbrella.risk.scoring import score_answers

if TYPE_CHECKING:
    from umbrella.accounts.models import User

HIGH_REVIEW_DAYS = 28


def _visible_or_missing(actor: User, record: Record) -> None:
    if not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise Record.DoesNotExist


def _require_assessor(actor: User, record: Record) -> None:
    _visible_or_missing(actor, record)
    if not can_assess(actor, record):
        raise PermissionDenied("Only the owning organisation's officers and caseworkers assess risk on this record.")


def _require_admin(actor: User) -> None:
    if not can_edit_questionnaire(actor):
        raise PermissionDenied("Only system administrators change the risk questionnaire.")


def _require_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise ValidationError("Only a draft version can be changed. Start a new draft from the active version.")


# ---------------------------------------------------------------------------
# Questionnaire administration
# ---------------------------------------------------------------------------


@transaction.atomic
def questionnaire_new_draft(*, actor: User) -> Questionnaire:
    """A new draft version copied from the active one (or the latest); one draft at a time."""
    _require_admin(actor)
    draft = Questionnaire.objects.filter(status=QuestionnaireStatus.DRAFT).first()
    if draft is not None:
        return draft
    source = (
        Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()
        or Questionnaire.objects.order_by("-version").first()
    )
    next_version = (Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    draft = Questionnaire.objects.create(
        version=next_version,
        status=QuestionnaireStatus.DRAFT,
        title=source.title if source else "Hate crime victim risk assessment",
        medium_threshold=source.medium_threshold if source else 6,
        high_threshold=source.high_threshold if source else 12,
        created_by=actor,
    )
    if source is not None:
        Question.objects.bulk_create(
            Question(
                questionnaire=draft, key=q.key, text=q.text, help=q.help, section=q.section,
                answer_type=q.answer_type, choices=q.choices, order=q.order,
            )
            for q in source.questions.all()
        )
        ScoringRule.objects.bulk_create(
            ScoringRule(
                questionnaire=draft, question_key=r.question_key, answer=r.answer, points=r.points,
                forces_high=r.forces_high,
            )
            for r in source.rules.all()
        )
    audit_event_write(
        actor=actor,
        action=actions.RISK_QUESTIONNAIRE_DRAFT,
        target=draft,
        target_label=f"Risk questionnaire version {draft.version}",
        changes={"version": draft.version, "copied_from": source.version if source else None},
    )
    return draft


@transaction.atomic
def questionnaire_update(*, actor: User, questionnaire: Questionnaire, medium_threshold: int, high_threshold: int) -> Questionnaire:
    _require_admin(actor)
    _require_draft(questionnaire)
    if high_threshold <= medium_threshold:
        raise ValidationError({"high_threshold": "The high threshold must be more than the medium threshold."})
    before = {"medium_threshold": questionnaire.medium_threshold, "high_threshold": questionnaire.high_threshold}
    questionnaire.medium_threshold = medium_threshold
    questionnaire.high_threshold = high_threshold
    questionnaire.save(update_fields=["medium_threshold", "high_threshold"])
    after = {"medium_threshold": medium_threshold, "high_threshold": high_threshold}
    audit_event_write(
        actor=actor,
        action=actions.RISK_QUESTIONNAIRE_EDIT,
        target=questionnaire,
        target_label=f"Risk questionnaire version {questionnaire.version}",
        changes={k: {"from": before[k], "to": v} for k, v in after.items() if before[k] != v},
    )
    return questionnaire


@transaction.atomic
def question_update(
    *,
    actor: User,
    question: Question,
    text: str,
    help_text: str,
    points: Mapping[str, int],
    forces_high: set[str],
) -> Question:
    _require_admin(actor)
    questionnaire = question.questionnaire
    _require_draft(questionnaire)
    if not text.strip():
        raise ValidationError({"text": "Enter the question."})
    answers = {value for value, _ in question.answer_choices()}
    unknown = (set(points) | forces_high) - answers
    if unknown:
        raise ValidationError({"points": "Points can only be given for the question's own answers."})
    question.text = text.strip()
    question.help = help_text.strip()
    question.save(update_fields=["text", "help"])
    old = {r.answer: (r.points, r.forces_high) for r in questionnaire.rules.filter(question_key=question.key)}
    questionnaire.rules.filter(question_key=question.key).delete()
    new: dict[str, tuple[int, bool]] = {}
    for answer in sorted(answers):
        value = int(points.get(answer, 0))
        forced = answer in forces_high
        if value or forced:
            ScoringRule.objects.create(
                questionnaire=questionnaire, question_key=question.key, answer=answer, points=value, forces_high=forced
            )
            new[answer] = (value, forced)
    audit_event_write(
        actor=actor,
        action=actions.RISK_QUESTION_EDIT,
        target=questionnaire,
        target_label=f"Risk questionnaire version {questionnaire.version}, question {question.key}",
        changes={
            "question": question.key,
            "rules": {"from": {k: list(v) for k, v in old.items()}, "to": {k: list(v) for k, v in new.items()}},
        },
    )
    return question


@transaction.atomic
def questionnaire_activate(*, actor: User, questionnaire: Questionnaire) -> Questionnaire:
    _require_admin(actor)
    _require_draft(questionnaire)
    if not questionnaire.questions.exists():
        raise ValidationError("A questionnaire needs at least one question.")
    previous = list(Questionnaire.objects.select_for_update().filter(status=QuestionnaireStatus.ACTIVE))
    Questionnaire.objects.filter(pk__in=[q.pk for q in previous]).update(status=QuestionnaireStatus.RETIRED)
    questionnaire.status = QuestionnaireStatus.ACTIVE
    questionnaire.activated_at = timezone.now()
    questionnaire.save(update_fields=["status", "activated_at"])
    audit_event_write(
        actor=actor,
        action=actions.RISK_QUESTIONNAIRE_ACTIVATE,
        target=questionnaire,
        target_label=f"Risk questionnaire version {questionnaire.version}",
        changes={"version": questionnaire.version, "retired": [q.version for q in previous]},
    )
    return questionnaire


# ---------------------------------------------------------------------------
# Assessment
# ---------------------------------------------------------------------------


def active_questionnaire() -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()
    if questionnaire is None:
        from umbrella.risk.seed import seed_default_questionnaire

        questionnaire = seed_default_questionnaire()
    return questionnaire


def _record_victim_ids(record: Record) -> set[int]:
    return set(
        RecordPerson.objects.filter(record=record, role=PersonRole.VICTIM).values_list("person_id", flat=True)
    )


def _reason_for(record: Record, open_prompts: list[ReassessmentPrompt], now: Any) -> str:
    previous = RiskAssessment.objects.filter(record=record).order_by("-assessed_at", "-id").first()
    if previous is None:
        return AssessmentReason.INITIAL
    reasons = {p.reason for p in open_prompts}
    if PromptReason.ON_REQUEST in reasons:
        return AssessmentReason.ON_REQUEST
    if PromptReason.NEW_INCIDENT in reasons:
        return AssessmentReason.NEW_INCIDENT
    if previous.level == RiskLevel.HIGH and previous.assessed_at <= now - timedelta(days=HIGH_REVIEW_DAYS):
        return AssessmentReason.HIGH_28_DAYS
    return AssessmentReason.ON_REQUEST


@transaction.atomic
def assessment_create(
    *,
    actor: User,
    record: Record,
    answers: Mapping[str, str],
    victim: Person | None = None,
    reason: str = "",
) -> RiskAssessment:
    """Scores the answers with the active questionnaire; keeps the version used."""
    _require_assessor(actor, record)
    questionnaire = active_questionnaire()
    questions = list(questionnaire.questions.all())
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for question in questions:
        value = str(answers.get(question.key, "") or "")
        if value not in dict(question.answer_choices()):
            errors[f"q_{question.key}"] = f"Select an answer to: {question.text}"
        else:
            clean[question.key] = value
    if victim is not None and victim.pk not in _record_victim_ids(record):
        errors["victim"] = "Choose one of the record's victims."
    if reason and reason not in AssessmentReason.values:
        errors["reason"] = "Choose why the risk is being assessed."
    if errors:
        raise ValidationError(errors)
    result = score_answers(
        questionnaire=questionnaire, questions=questions, rules=questionnaire.rules.all(), answers=clean
    )
    now = timezone.now()
    open_prompts = list(ReassessmentPrompt.objects.filter(record=record, resolved_by__isnull=True))
    assessment = RiskAssessment.objects.create(
        record=record,
        victim=victim,
        questionnaire=questionnaire,
        answers=encrypt(json.dumps(clean, sort_keys=True), organisation_id=record.organisation_id, column=ANSWERS_COLUMN) or "",
        score=result.score,
        computed_level=result.level,
        computed_reasons=encrypt(json.dumps(result.reasons), organisation_id=record.organisation_id, column=REASONS_COLUMN) or "",
        assessor=actor,
        assessed_at=now,
        reason=reason or _reason_for(record, open_prompts, now),
        victim_feels_targeted=clean.get("feels_targeted") == "yes",
    )
    ReassessmentPrompt.objects.filter(pk__in=[p.pk for p in open_prompts]).update(resolved_by=assessment)
    audit_event_write(
        actor=actor,
        action=actions.RISK_ASSESS,
        target=assessment,
        target_label=f"Risk assessment of {record.reference}",
        record_id=record.pk,
        changes={
            "questionnaire_version": questionnaire.version,
            "score": result.score,
            "computed_level": result.level,
            "reason": assessment.reason,
            "answers": "set",
            "victim": "set" if victim else None,
        },
    )
    return assessment


@transaction.atomic
def assessment_override(*, actor: User, assessment: RiskAssessment, level: str, rationale: str) -> RiskAssessment:
    """Records professional judgement: the computed level stays as it was, next to the override."""
    record = assessment.record
    _require_assessor(actor, record)
    errors: dict[str, str] = {}
    if level not in RiskLevel.values:
        errors["level"] = "Select the risk level you judge it to be."
    if not rationale.strip():
        errors["rationale"] = "Enter why you are changing the level."
    if errors:
        raise ValidationError(errors)
    before = assessment.override_level or None
    assessment.override_level = level
    assessment.override_rationale = (
        encrypt(rationale.strip(), organisation_id=record.organisation_id, column=RATIONALE_COLUMN) or ""
    )
    assessment.overridden_by = actor
    assessment.overridden_at = timezone.now()
    assessment.save(update_fields=["override_level", "override_rationale", "overridden_by", "overridden_at"])
    audit_event_write(
        actor=actor,
        action=actions.RISK_OVERRIDE,
        target=assessment,
        target_label=f"Risk assessment of {record.reference}",
        record_id=record.pk,
        changes={
            "computed_level": assessment.computed_level,
            "override_level": {"from": before, "to": level},
            "rationale": "set",
        },
    )
    return assessment


@transaction.atomic
def reassessment_request(*, actor: User, record: Record) -> ReassessmentPrompt:
    """Anyone who can see the record and works cases (a partner with a share too) may ask."""
    _visible_or_missing(actor, record)
    if not can_work_actions(actor):
        raise PermissionDenied("Your role cannot ask for a risk reassessment.")
    prompt = ReassessmentPrompt.objects.filter(
        record=record, reason=PromptReason.ON_REQUEST, resolved_by__isnull=True
    ).first()
    if prompt is None:
        prompt = ReassessmentPrompt.objects.create(record=record, reason=PromptReason.ON_REQUEST, requested_by=actor)
    audit_event_write(
        actor=actor,
        action=actions.RISK_REASSESSMENT_REQUEST,
        target=prompt,
        target_label=f"Reassessment of {record.reference}",
        record_id=record.pk,
        changes={"reason": PromptReason.ON_REQUEST},
    )
    return prompt


def prompts_for_new_incident(*, record: Record) -> int:
    """A new record whose victim matches (blind indexes) the victim of an assessed record of the same
    organisation asks for that record's reassessment. Runs inside the cases service's transaction; a few indexed queries."""
    from umbrella.risk.repeat import matching_victim_rows

    rows = matching_victim_rows(record=record, since=None, window_days=None)
    # Only the new record's own organisation is prompted: a prompt on another organisation's record
    # would tell it that this victim reported here, which only a share or the victim's consent may.
    candidate_ids = {row.record_id for row in rows if row.organisation_id == record.organisation_id}
    if not candidate_ids:
        return 0
    assessed = set(
        RiskAssessment.objects.filter(record_id__in=candidate_ids).values_list("record_id", flat=True).distinct()
    )
    already = set(
        ReassessmentPrompt.objects.filter(
            record_id__in=assessed, trigger_record=record, reason=PromptReason.NEW_INCIDENT
        ).values_list("record_id", flat=True)
    )
    created = [
        ReassessmentPrompt(record_id=record_id, reason=PromptReason.NEW_INCIDENT, trigger_record=record)
        for record_id in sorted(assessed - already)
    ]
    ReassessmentPrompt.objects.bulk_create(created)
    return len(created)


# ---------------------------------------------------------------------------
# Risk plans
# ---------------------------------------------------------------------------


def _plan_for(actor: User, assessment: RiskAssessment) -> RiskPlan:
    plan = RiskPlan.objects.filter(assessment=assessment).first()
    if plan is not None:
        return plan
    record = assessment.record
    plan = RiskPlan.objects.create(assessment=assessment, record=record, owner_id=record.organisation_id, created_by=actor)
    audit_event_write(
        actor=actor,
        action=actions.RISK_PLAN_CREATE,
        target=plan,
        target_label=f"Risk plan for {record.reference}",
        record_id=record.pk,
        changes={"assessment": assessment.pk, "level": assessment.level},
    )
    return plan


@transaction.atomic
def action_add(
    *,
    actor: User,
    assessment: RiskAssessment,
    action_type: str,
    description: str,
    assigned_organisation: Organisation,
    due_date: date,
    assigned_user: User | None = None,
) -> RiskAction:
    record = assessment.record
    _require_assessor(actor, record)
    errors: dict[str, str] = {}
    if LEVEL_RANK[RiskLevel(assessment.level)] < LEVEL_RANK[RiskLevel.MEDIUM]:
        errors["__all__"] = "A risk plan is made for medium and high risk assessments only."
    if action_type not in ActionType.values:
        errors["action_type"] = "Select the type of action."
    if not description.strip():
        errors["description"] = "Enter what needs to be done."
    if assigned_user is not None and assigned_user.organisation_id != assigned_organisation.pk:
        errors["assigned_user"] = "Choose a person from the organisation the action is assigned to, or nobody."
    if due_date < timezone.localdate() and not errors:
        errors["due_date"] = "The due date must be today or in the future."
    if errors:
        raise ValidationError(errors)
    plan = _plan_for(actor, assessment)
    action = RiskAction.objects.create(
        plan=plan,
        action_type=action_type,
        description=encrypt(description.strip(), organisation_id=plan.owner_id, column=DESCRIPTION_COLUMN) or "",
        assigned_organisation=assigned_organisation,
        assigned_user=assigned_user,
        due_date=due_date,
        created_by=actor,
    )
    audit_event_write(
        actor=actor,
        action=actions.RISK_ACTION_ADD,
        target=action,
        target_label=f"Risk plan action for {record.reference}",
        record_id=record.pk,
        changes={
            "action_type": action_type,
            "assigned_organisation": assigned_organisation.pk,
            "assigned_user": assigned_user.pk if assigned_user else None,
            "due_date": due_date.isoformat(),
            "description": "set",
        },
    )
    return action


def can_complete_action(user: User, action: RiskAction) -> bool:
    if action.status != ActionStatus.OPEN:
        return False
    if can_work_actions(user) and user.organisation_id == action.assigned_organisation_id:
        return True
    return can_assess(user, action.plan.record)


@transaction.atomic
def action_complete(*, actor: User, action: RiskAction, outcome_note: str) -> RiskAction:
    """The assigned organisation's staff (or the plan's owner) mark an action done."""
    action = RiskAction.objects.select_for_update().select_related("plan__record").get(pk=action.pk)
    if not can_complete_action(actor, action):
        if action.status != ActionStatus.OPEN:
            raise ValidationError("This action is already closed.")
        raise PermissionDenied("Only the organisation the action is assigned to, or the plan's owner, can complete it.")
    if not outcome_note.strip():
        raise ValidationError({"outcome_note": "Enter what was done."})
    return _close_action(actor=actor, action=action, status=ActionStatus.DONE, note=outcome_note,
                         audit_action=actions.RISK_ACTION_COMPLETE, note_key="outcome_note")


@transaction.atomic
def action_cancel(*, actor: User, action: RiskAction, reason: str) -> RiskAction:
    action = RiskAction.objects.select_for_update().select_related("plan__record").get(pk=action.pk)
    _require_assessor(actor, action.plan.record)
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action is already closed.")
    if not reason.strip():
        raise ValidationError({"outcome_note": "Enter why the action is cancelled."})
    return _close_action(actor=actor, action=action, status=ActionStatus.CANCELLED, note=reason,
                         audit_action=actions.RISK_ACTION_CANCEL, note_key="reason")


def _close_action(*, actor: User, action: RiskAction, status: str, note: str, audit_action: str,
                  note_key: str) -> RiskAction:
    """Done or cancelled: who closed it, when, and the encrypted note; the caller has checked and locked it."""
    action.status = status
    action.completed_by = actor
    action.completed_at = timezone.now()
    action.outcome_note = encrypt(note.strip(), organisation_id=action.plan.owner_id, column=OUTCOME_COLUMN) or ""
    action.save(update_fields=["status", "completed_by", "completed_at", "outcome_note"])
    audit_event_write(
        actor=actor,
        action=audit_action,
        target=action,
        target_label=f"Risk plan action for {action.plan.record.reference}",
        record_id=action.plan.record_id,
        changes={"status": {"from": ActionStatus.OPEN, "to": status}, note_key: "set"},
    )
    return action


def open_actions_q() -> Q:
    return Q(status=ActionStatus.OPEN)
