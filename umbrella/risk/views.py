"""Risk pages. Thin: forms parse, risk.services write, risk.selectors read (scoped).

Writers' pages check the role first (403), then the record's scope (404), then ownership (403:
a record shared with the user's organisation is read-only), as the record pages do.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.cases.models import Person, Record
from umbrella.cases.policy import can_write_records
from umbrella.cases.views import get_record_or_404
from umbrella.risk import selectors, services
from umbrella.risk.forms import (
    ActionForm,
    AssessmentForm,
    CompleteActionForm,
    OverrideForm,
    QuestionEditForm,
    ThresholdsForm,
)
from umbrella.risk.models import (
    LEVEL_RANK,
    Question,
    Questionnaire,
    RiskAction,
    RiskAssessment,
    RiskLevel,
)
from umbrella.risk.policy import can_assess, can_edit_questionnaire, can_work_actions
from umbrella.web.views import button_post, current_user, form_page, posted


def _require_writer_role(request: HttpRequest) -> None:
    if not can_write_records(current_user(request)):
        raise PermissionDenied("Your role cannot assess risk.")


def _owned_record(request: HttpRequest, record_id: int) -> Record:
    user = current_user(request)
    _require_writer_role(request)
    record = get_record_or_404(user, record_id)
    if not can_assess(user, record):
        raise PermissionDenied("Only the organisation that owns this record assesses its risk.")
    return record


def _assessment_or_404(request: HttpRequest, assessment_id: int) -> RiskAssessment:
    try:
        return selectors.assessment_get(user=current_user(request), assessment_id=assessment_id)
    except RiskAssessment.DoesNotExist:
        raise Http404("No assessment found") from None


def _owned_assessment(request: HttpRequest, assessment_id: int) -> RiskAssessment:
    _require_writer_role(request)
    assessment = _assessment_or_404(request, assessment_id)
    if not can_assess(current_user(request), assessment.record):
        raise PermissionDenied("Only the organisation that owns this record changes its risk assessment.")
    return assessment


# ---------------------------------------------------------------------------
# Assessment
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    record = _owned_record(request, record_id)
    questionnaire = services.active_questionnaire()
    questions = list(questionnaire.questions.all())
    victims = selectors.victim_choices(user=user, record=record)
    form = AssessmentForm(posted(request), questions=questions, victims=victims)
    victim_id = form.victim_id() if form.is_valid() else None
    return form_page(
        request, form, template="risk/assess.html",
        context=lambda: {
            "record": record, "questionnaire": questionnaire,
            "repeat": selectors.repeat_indicators(user=user, record=record),
            "due": selectors.reassessment_due(user=user, record=record),
        },
        save=lambda _: services.assessment_create(
            actor=user, record=record, answers=form.answers(),
            victim=Person.objects.filter(pk=victim_id).first() if victim_id else None,
        ),
        message=lambda assessment: f"Risk assessed as {assessment.get_level_display().lower()}",
        then=lambda assessment: redirect("risk:assessment", assessment_id=assessment.pk),
    )


@login_required
@require_GET
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = current_user(request)
    assessment = _assessment_or_404(request, assessment_id)
    record = assessment.record
    plannable = LEVEL_RANK[RiskLevel(assessment.level)] >= LEVEL_RANK[RiskLevel.MEDIUM]
    text = selectors.assessment_text(user=user, assessment=assessment)
    return render(
        request,
        "risk/assessment.html",
        {
            "assessment": assessment,
            "record": record,
            "answers": text.answers,
            "reasons": text.reasons,
            "rationale": text.rationale,
            "actions": selectors.plan_actions(user=user, assessment=assessment),
            "plannable": plannable,
            "can_assess": can_assess(user, record),
            "levels": dict(RiskLevel.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_override(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = current_user(request)
    assessment = _owned_assessment(request, assessment_id)
    return form_page(
        request, OverrideForm(posted(request), initial={"level": assessment.level}), template="risk/override.html",
        context={"assessment": assessment, "record": assessment.record},
        save=lambda data: services.assessment_override(
            actor=user, assessment=assessment, level=data["level"], rationale=data["rationale"]
        ),
        message="Risk level changed. The computed level is kept alongside it.",
        then=lambda _: redirect("risk:assessment", assessment_id=assessment.pk),
    )


@login_required
@require_GET
def record_risk(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    record = get_record_or_404(user, record_id)
    return render(
        request,
        "risk/record_risk.html",
        {
            "record": record,
            "assessments": selectors.assessments_for(user=user, record=record),
            "repeat": selectors.repeat_indicators(user=user, record=record),
            "due": selectors.reassessment_due(user=user, record=record),
            "can_assess": can_assess(user, record),
            "can_request": can_work_actions(user),
        },
    )


@login_required
@require_POST
def request_reassessment(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    if not can_work_actions(user):
        raise PermissionDenied("Your role cannot ask for a risk reassessment.")
    record = get_record_or_404(user, record_id)
    services.reassessment_request(actor=user, record=record)
    messages.success(request, "Reassessment requested")
    return redirect("risk:record-risk", record_id=record.pk)


# ---------------------------------------------------------------------------
# Plans and actions
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = current_user(request)
    assessment = _owned_assessment(request, assessment_id)
    form = ActionForm(posted(request))
    return form_page(
        request, form, template="risk/action_add.html",
        context={"assessment": assessment, "record": assessment.record},
        save=lambda data: services.action_add(
            actor=user, assessment=assessment, action_type=data["action_type"], description=data["description"],
            assigned_organisation=form.organisation(), assigned_user=form.user(), due_date=data["due_date"],
        ),
        message="Action added to the risk plan", then=lambda _: redirect("risk:assessment", assessment_id=assessment.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        action = selectors.action_get(user=user, action_id=action_id)
    except RiskAction.DoesNotExist:
        raise Http404("No action found") from None
    can_complete = services.can_complete_action(user, action)
    if request.method == "POST" and not can_complete:
        raise PermissionDenied("Only the organisation the action is assigned to, or the plan's owner, can complete it.")
    record = action.plan.record
    return form_page(
        request, CompleteActionForm(posted(request)), template="risk/action.html",
        context=lambda: {
            "action": action, "record": record, "record_visible": selectors.can_see_record(user, record),
            "description": selectors.action_description(action), "outcome": selectors.action_outcome(action),
            "can_complete": can_complete,
        },
        save=lambda data: services.action_complete(actor=user, action=action, outcome_note=data["outcome_note"]),
        message="Action marked as done", then=lambda _: redirect("risk:action", action_id=action.pk),
    )


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_work_actions(user):
        raise PermissionDenied("Your role has no risk plan actions.")
    show_closed = request.GET.get("closed") == "1"
    actions = list(selectors.actions_assigned(user=user, include_closed=show_closed)[:500])
    return render(request, "risk/action_list.html", {"actions": actions, "show_closed": show_closed})


# ---------------------------------------------------------------------------
# Questionnaire administration (system administrators; 404 for everyone else)
# ---------------------------------------------------------------------------


def _require_admin(request: HttpRequest) -> None:
    if not can_edit_questionnaire(current_user(request)):
        raise Http404("Not found")


def _questionnaire_or_404(questionnaire_id: int) -> Questionnaire:
    try:
        return selectors.questionnaire_get(questionnaire_id=questionnaire_id)
    except Questionnaire.DoesNotExist:
        raise Http404("No questionnaire found") from None


@login_required
@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(request, "risk/questionnaire_list.html", {"questionnaires": selectors.questionnaires()})


@login_required
@require_POST
def questionnaire_new_draft(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    draft = services.questionnaire_new_draft(actor=current_user(request))
    messages.success(request, f"Draft version {draft.version} is ready to edit")
    return redirect("risk:questionnaire", questionnaire_id=draft.pk)


@login_required
@require_GET
def questionnaire_detail(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    _require_admin(request)
    questionnaire = _questionnaire_or_404(questionnaire_id)
    rules = selectors.rules_by_question(questionnaire)
    rows = [
        (question, [(label, *rules.get(question.key, {}).get(value, (0, False))) for value, label in question.answer_choices()])
        for question in questionnaire.questions.all()
    ]
    return render(request, "risk/questionnaire.html", {"questionnaire": questionnaire, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_thresholds(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    _require_admin(request)
    questionnaire = _questionnaire_or_404(questionnaire_id)
    form = ThresholdsForm(
        posted(request),
        initial={"medium_threshold": questionnaire.medium_threshold, "high_threshold": questionnaire.high_threshold},
    )
    return form_page(
        request, form, template="risk/thresholds.html", context={"questionnaire": questionnaire},
        save=lambda data: services.questionnaire_update(
            actor=current_user(request), questionnaire=questionnaire,
            medium_threshold=data["medium_threshold"], high_threshold=data["high_threshold"],
        ),
        message="Thresholds saved", then=lambda _: redirect("risk:questionnaire", questionnaire_id=questionnaire.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, questionnaire_id: int, question_id: int) -> HttpResponse:
    _require_admin(request)
    questionnaire = _questionnaire_or_404(questionnaire_id)
    try:
        question = questionnaire.questions.get(pk=question_id)
    except Question.DoesNotExist:
        raise Http404("No question found") from None
    rules = selectors.rules_by_question(questionnaire).get(question.key, {})
    form = QuestionEditForm(
        posted(request), question=question, rules=rules, initial={"text": question.text, "help_text": question.help}
    )
    return form_page(
        request, form, template="risk/question_edit.html", context={"questionnaire": questionnaire, "question": question},
        save=lambda data: services.question_update(
            actor=current_user(request), question=question, text=data["text"], help_text=data["help_text"],
            points=form.points(), forces_high=form.forces_high(),
        ),
        message="Question saved", then=lambda _: redirect("risk:questionnaire", questionnaire_id=questionnaire.pk),
    )


@login_required
@require_POST
def questionnaire_activate(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    _require_admin(request)
    questionnaire = _questionnaire_or_404(questionnaire_id)
    return button_post(
        request, lambda: services.questionnaire_activate(actor=current_user(request), questionnaire=questionnaire),
        message=f"Version {questionnaire.version} is now the active questionnaire",
        then=lambda _: redirect("risk:questionnaire", questionnaire_id=questionnaire.pk),
        refused=lambda: redirect("risk:questionnaire", questionnaire_id=questionnaire.pk),
    )
