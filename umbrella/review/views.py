"""Pages of the hub review: the queue, one item (claim and decide) and the compliance dashboard.

Role first (403 for roles that never review), then scope (404 for another force's items).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.agencies.models import Team
from umbrella.cases.models import Record
from umbrella.core.pagination import CappedPaginator
from umbrella.reference.selectors import current_codes
from umbrella.review import selectors, services
from umbrella.review.forms import AddStrandForm, DecisionForm, PeriodForm, QueueFilterForm
from umbrella.review.models import ReviewItem
from umbrella.review.policy import can_read_dashboard, can_review
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import add_service_errors, button_post, current_user, pages_for

PAGE_SIZE = 25


# The review pages: the hub's reviewers and supervisors only.
reviewers_only = pages_for(can_review, refusal="Only the hub's reviewers and supervisors work the review queue.")


def _item_or_404(request: HttpRequest, item_id: int) -> ReviewItem:
    try:
        return selectors.item_get(user=current_user(request), item_id=item_id)
    except ReviewItem.DoesNotExist:
        raise Http404("No review item found") from None


@login_required
@require_GET
@reviewers_only
def queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    teams = list(Team.objects.filter(organisation_id=user.organisation_id or 0).order_by("name").values_list("pk", "name"))
    boroughs = [(code.code, code.label) for code in current_codes(scheme="borough").order_by("label")]
    form = QueueFilterForm(request.GET, teams=teams, boroughs=boroughs)
    now = timezone.now()
    paginator = CappedPaginator(selectors.queue_items(user=user, filters=form.to_filters(), now=now), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/queue.html",
        {"form": form, "page": page, "items": list(page.object_list), "now": now, "query_string": query.urlencode()},
    )


def _decision_forms(data: Any, view: selectors.ItemView) -> tuple[DecisionForm, AddStrandForm]:
    record = view.record
    initial = {"row_version": record.row_version, "kind": record.kind, "is_online": "yes" if record.is_online else "no"}
    form = DecisionForm(
        data, initial=initial, strands=view.strands, suggestions=[s.suggestion for s in view.suggestions]
    )
    return form, AddStrandForm(data, prefix="add")


@login_required
@require_http_methods(["GET", "POST"])
@reviewers_only
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        view = selectors.item_view(user=user, item_id=item_id)
    except ReviewItem.DoesNotExist:
        raise Http404("No review item found") from None
    data = request.POST if request.method == "POST" else None
    form, add = _decision_forms(data, view)
    if data is not None:
        valid = all([form.is_valid(), add.is_valid()])
        if valid and not view.item.is_open:
            form.add_error(None, "This item has already been decided.")
        elif valid:
            try:
                services.item_decide(actor=user, item=view.item, data=form.to_input(add))
            except ValidationError as error:
                add_service_errors(error, form, field_map={"item": "", "row_version": "", "strands": "", "assessments": ""})
            except Record.DoesNotExist:
                raise Http404("No record found") from None
            else:
                messages.success(request, f"Decision saved for {view.record.reference}")
                return redirect("review:queue")
    errors = govuk_error_items(form, add) if data is not None else []
    return render(
        request,
        "review/item.html",
        {
            "view": view,
            "item": view.item,
            "record": view.record,
            "form": form,
            "add": add,
            "errors": errors,
            "claimed_by_me": view.item.claimed_by_id == user.pk,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
@reviewers_only
def claim(request: HttpRequest, item_id: int) -> HttpResponse:
    review_item = _item_or_404(request, item_id)
    return button_post(
        request, lambda: services.item_claim(actor=current_user(request), item=review_item),
        message=f"You have claimed {review_item.record.reference}",
        then=lambda _: redirect("review:item", item_id=review_item.pk), refused=lambda: redirect("review:queue"),
    )


@login_required
@require_POST
@reviewers_only
def release(request: HttpRequest, item_id: int) -> HttpResponse:
    review_item = _item_or_404(request, item_id)
    return button_post(
        request, lambda: services.item_release(actor=current_user(request), item=review_item),
        message=f"{review_item.record.reference} is back in the queue",
        then=lambda _: redirect("review:queue"), refused=lambda: redirect("review:item", item_id=review_item.pk),
    )


@login_required
@require_GET
@pages_for(can_read_dashboard, refusal="The hub dashboard is for the force's hub, supervisors and analysts.")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = PeriodForm(request.GET)
    period = (form.cleaned_data.get("period") if form.is_valid() else None) or 28
    figures = selectors.dashboard(user=user, period_days=int(period))
    return render(request, "review/dashboard.html", {"form": form, "figures": figures})
