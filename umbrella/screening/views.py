"""Model registry pages: the list, each model's card, and approve / reject / roll back.

Viewers (hub reviewers, supervisors, analysts, system administrators) see the pages; everyone
else gets 404. Only approvers (supervisors, system administrators) may decide: viewers get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from umbrella.accounts.models import User
from umbrella.screening import selectors
from umbrella.screening.card import card_context
from umbrella.screening.models import ModelStatus, ScreeningModel
from umbrella.screening.policy import can_approve_models, can_view_models
from umbrella.web.views import View, button_post, pages_for

viewers_only = pages_for(can_view_models)


def approvers_post(view: View) -> View:
    """Viewers who may not decide get 403; a GET from an approver gets 405."""

    @viewers_only
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_approve_models(request.user):
            return render(request, "403.html", status=403)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    return wrapper


def _model_or_404(request: HttpRequest, model_id: int) -> ScreeningModel:
    try:
        return selectors.model_get(user=request.user, model_id=model_id)
    except ScreeningModel.DoesNotExist as exc:
        raise Http404 from exc


def _services() -> Any:
    # Imported on first use: services pulls in scikit-learn, which slows every process's start.
    from umbrella.screening import services

    return services


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@viewers_only
@require_safe
def model_list(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/model_list.html", {
        "models": list(selectors.models_list(user=request.user)),
        "can_approve": can_approve_models(request.user),
        "can_roll_back": selectors.has_rollback_target(),
    })


@viewers_only
@require_safe
def model_card(request: HttpRequest, model_id: int) -> HttpResponse:
    model = _model_or_404(request, model_id)
    approved = selectors.approved_for_comparison(model)
    return render(request, "screening/model_card.html", {
        "model": model,
        "approved": approved,
        "can_approve": can_approve_models(request.user),
        "is_candidate": model.status == ModelStatus.CANDIDATE,
        "is_approved": model.status == ModelStatus.APPROVED,
        "can_roll_back": model.status == ModelStatus.APPROVED and model.replaced_id is not None,
        **card_context(model, approved=approved),
    })


def _decide(request: HttpRequest, action: Callable[[], ScreeningModel], success: str) -> HttpResponse:
    return button_post(
        request, action, message=lambda model: success.format(version=model.version),
        then=lambda model: redirect(reverse("screening:model-card", kwargs={"model_id": model.pk})),
        refused=lambda: redirect(reverse("screening:model-list")),
    )


@approvers_post
def model_approve(request: HttpRequest, model_id: int) -> HttpResponse:
    model = _model_or_404(request, model_id)
    return _decide(request, lambda: _services().model_approve(actor=_actor(request), model=model),
                   "Model {version} approved: it now screens live data.")


@approvers_post
def model_reject(request: HttpRequest, model_id: int) -> HttpResponse:
    model = _model_or_404(request, model_id)
    note = str(request.POST.get("note", ""))[:1000]
    return _decide(request, lambda: _services().model_reject(actor=_actor(request), model=model, note=note),
                   "Model {version} rejected.")


@approvers_post
def model_rollback(request: HttpRequest) -> HttpResponse:
    return _decide(request, lambda: _services().model_rollback(actor=_actor(request)),
                   "Rolled back: model {version} screens live data again.")


@approvers_post
def model_retrain(request: HttpRequest) -> HttpResponse:
    def retrain() -> None:
        actor = _actor(request)
        _services().model_retrain_request(actor=actor)
        from umbrella.screening.tasks import retrain_from_records

        retrain_from_records.enqueue(actor.pk)  # training takes seconds to minutes: a background job

    return button_post(
        request, retrain,
        message="Retraining has started. The new model will appear below as a candidate when it is ready; the "
                "approved model screens until someone approves it.",
        then=lambda _: redirect(reverse("screening:model-list")),
        refused=lambda: redirect(reverse("screening:model-list")),
    )


@viewers_only
@require_safe
def monitoring(request: HttpRequest) -> HttpResponse:
    """Screening's error rates by the victim's group, from reviewers' decisions, and the groups
    whose false-positive rates differ by more than the monitoring allows."""
    from umbrella.screening.monitoring import (
        DISPARITY,
        GROUPS,
        MIN_NEGATIVES,
        disparities,
        group_rates,
        strand_rates,
    )

    group = request.GET.get("group", "ethnicity")
    if group not in GROUPS:
        raise Http404("No such group")
    rates = group_rates(group)
    return render(request, "screening/monitoring.html", {
        "group": group, "groups": GROUPS, "title": GROUPS[group], "rates": rates, "disparities": disparities(rates),
        "min_negatives": MIN_NEGATIVES, "disparity": DISPARITY, "strands": strand_rates(),
    })
