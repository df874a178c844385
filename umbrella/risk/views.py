"""Risk pages. Thin: forms parse, risk.services write, risk.selectors read (scoped).

Writers' pages check the role first (403), then the record's scope (404), then ownership (403:
a record shared with the user's organisation is read-only), as the record pages do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import add_service_errors, current_user


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


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
    form = AssessmentForm(_posted(request), questions=questions, victims=victims)
    if request.method == "POST" and form.is_valid():
        victim_id = form.victim_id()
        try:
            assessment = services.assessment_create(
                actor=user,
                record=record,
                answers=form.answers(),
                victim=Person.objects.filter(pk=victim_id).first() if victim_id else None,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, f"Risk assessed as {assessment.get_level_display().lower()}")
            return redirect("risk:assessment", assessment_id=assessment.pk)
    return render(
        request,
        "risk/assess.html",
        {
            "record": record,
            "form": form,
            "questionnaire": questionnaire,
            "repeat": selectors.repeat_indicators(user=user, record=record),
            "due": selectors.reassessment_due(user=user, record=record),
            "errors": govuk_error_items(form) if form.is_bound else [],
        },
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
    form = OverrideForm(_posted(request), initial={"level": assessment.level})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_override(
                actor=user, assessment=assessment, level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "Risk level changed. The computed level is kept alongside it.")
            return redirect("risk:assessment", assessment_id=assessment.pk)
    return render(request, "risk/override.html", {"assessment": assessment, "record": assessment.record, "form": form})


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
    form = ActionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(
                actor=user,
                assessment=assessment,
                action_type=form.cleaned_data["action_type"],
                description=form.cleaned_data["description"],
                assigned_organisation=form.organisation(),
                assigned_user=form.user(),
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "Action added to the risk plan")
            return redirect("risk:assessment", assessment_id=assessment.pk)
    return render(
        request,
        "risk/action_add.html",
        {"assessment": assessment, "record": assessment.record, "form": form,
         "errors": govuk_error_items(form) if form.is_bound else []},
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
    form = CompleteActionForm(_posted(request))
    if request.method == "POST":
        if not can_complete:
            raise PermissionDenied("Only the organisation the action is assigned to, or the plan's owner, can complete it.")
        if form.is_valid():
            try:
                services.action_complete(actor=user, action=action, outcome_note=form.cleaned_data["outcome_note"])
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(request, "Action marked as done")
                return redirect("risk:action", action_id=action.pk)
    record = action.plan.record
    return render(
        request,
        "risk/action.html",
        {
            "action": action,
            "record": record,
            "record_visible": selectors.can_see_record(user, record),
            "description": selectors.action_description(action),
            "outcome": selectors.action_outcome(action),
            "can_complete": can_complete,
            "form": form,
        },
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
        _posted(request),
        initial={"medium_threshold": questionnaire.medium_threshold, "high_threshold": questionnaire.high_threshold},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_update(
                actor=current_user(request), questionnaire=questionnaire,
                medium_threshold=form.cleaned_data["medium_threshold"], high_threshold=form.cleaned_data["high_threshold"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "Thresholds saved")
            return redirect("risk:questionnaire", questionnaire_id=questionnaire.pk)
    return render(request, "risk/thresholds.html", {"questionnaire": questionnaire, "form": form})


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
        _posted(request), question=question, rules=rules, initial={"text": question.text, "help_text": question.help}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=current_user(request), question=question, text=form.cleaned_data["text"],
                help_text=form.cleaned_data["help_text"], points=form.points(), forces_high=form.forces_high(),
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "Question saved")
            return redirect("risk:questionnaire", questionnaire_id=questionnaire.pk)
    return render(request, "risk/question_edit.html", {"questionnaire": questionnaire, "question": question, "form": form})


@login_required
@require_POST
def questionnaire_activate(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    _require_admin(request)
    questionnaire = _questionnaire_or_404(questionnaire_id)
    try:
        services.questionnaire_activate(actor=current_user(request), questionnaire=questionnaire)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Version {questionnaire.version} is now the active questionnaire")
    return redirect("risk:questionnaire", questionnaire_id=questionnaire.pk)
