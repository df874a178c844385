"""Retention pages: the reviews waiting for a decision, one review's decision, and the disposal
register, for the record's own organisation's reviewers; the schedule, for system administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.cases.models import Record
from umbrella.core.pagination import CappedPaginator
from umbrella.retention.forms import DecisionForm, ScheduleLineForm
from umbrella.retention.models import LegalHold
from umbrella.retention.policy import can_keep_schedule, can_review_retention
from umbrella.retention.selectors import (
    anonymised_preview,
    open_reviews,
    register_csv_rows,
    register_for,
    review_get,
    schedule,
    schedule_history,
)
from umbrella.retention.services import (
    disposal_blockers,
    disposal_blockers_of,
    legal_hold_lift,
    legal_hold_place,
    review_anonymise,
    review_dispose,
    review_retain,
    rule_set,
)
from umbrella.web.views import current_user, form_page, pages_for, posted

REFUSAL = "Your role does not decide retention reviews."
PAGE_SIZE = 50


@require_GET
@pages_for(can_review_retention, refusal=REFUSAL)
def reviews(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = CappedPaginator(open_reviews(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    blockers = disposal_blockers_of([review.record for review in shown])
    rows = [(review, blockers[review.record_id]) for review in shown]
    return render(request, "retention/reviews.html", {"rows": rows, "page": page, "rules": schedule()})


@require_http_methods(["GET", "POST"])
@pages_for(can_review_retention, refusal=REFUSAL)
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    user = current_user(request)
    found = review_get(user=user, review_id=review_id)

    def decide(data: dict[str, Any]) -> Any:
        if data["decision"] == "retain":
            return review_retain(actor=user, review=found, reason=data["reason"], next_review_on=data["next_review_on"])
        if data["decision"] == "anonymise":
            return review_anonymise(actor=user, review=found, reason=data["reason"])
        return review_dispose(actor=user, review=found, reason=data["reason"])

    return form_page(
        request, DecisionForm(posted(request)), template="retention/review.html", save=decide,
        context=lambda: {"review": found, "blockers": disposal_blockers(found.record),
                         "anonymised": anonymised_preview(user=user, review=found)},
        message=lambda _: f"Retention review of {found.record.reference} decided",
        then=lambda _: redirect("retention:reviews"), field_map={"review": "decision"},
    )


@require_GET
@pages_for(can_review_retention, refusal=REFUSAL)
def register(request: HttpRequest) -> HttpResponseBase:
    """The disposal register, a page at a time, or whole as CSV (``?format=csv``) for an
    information-governance audit: streamed, so its length does not matter."""
    user = current_user(request)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(register_csv_rows(register_for(user=user)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="disposal-register.csv"'
        return response
    page = CappedPaginator(register_for(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "retention/register.html", {"entries": page.object_list, "page": page})


@require_POST
@pages_for(can_review_retention, refusal="Your role does not place legal holds.")
def hold_place(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    record = get_object_or_404(Record.objects.visible_to(user), pk=record_id)
    try:
        legal_hold_place(actor=user, record=record, reason=request.POST.get(f"hold-{record.pk}-reason", ""))
    except ValidationError as error:
        messages.error(request, "; ".join(m for ms in error.message_dict.values() for m in ms))
    else:
        messages.success(request, "Legal hold placed: the record will not be disposed of until it is lifted")
    return redirect("cases:record-detail", record.pk)


@require_POST
@pages_for(can_review_retention, refusal="Your role does not lift legal holds.")
def hold_lift(request: HttpRequest, hold_id: int) -> HttpResponse:
    user = current_user(request)
    hold = get_object_or_404(LegalHold.objects.filter(record__in=Record.objects.visible_to(user)), pk=hold_id)
    legal_hold_lift(actor=user, hold=hold)
    messages.success(request, "Legal hold lifted")
    return redirect("cases:record-detail", hold.record_id)


@require_http_methods(["GET", "POST"])
@pages_for(can_keep_schedule, refusal="Only a system administrator changes the retention schedule.")
def schedule_page(request: HttpRequest) -> HttpResponse:
    """The schedule's lines and their earlier versions; setting a line makes a new version of it."""
    user = current_user(request)
    return form_page(
        request, ScheduleLineForm(posted(request)), template="retention/schedule.html",
        save=lambda data: rule_set(actor=user, **data),
        context=lambda: {"rules": schedule(), "history": schedule_history()},
        message=lambda rule: f"{_line_named(rule)}: {_when(rule)} (version {rule.version})",
        then=lambda _: redirect("retention:schedule"),
    )


def _when(rule: Any) -> str:
    from umbrella.retention.models import REPORTS_ENDED, RecordPart

    if rule.record_kind == REPORTS_ENDED:
        return f"emptied {rule.review_after_months} months after being closed or merged"
    if rule.record_kind in RecordPart.values:
        return f"removed from closed records {rule.review_after_months} months after the report"
    return f"first reviewed {rule.review_after_months} months after the report"


def _line_named(rule: Any) -> str:
    """"Hate crimes held by police force, Group 2 (...)": the line's records as a person would say them."""
    parts = [f"{rule.records_label} held by {rule.holders_label.lower()}"]
    if rule.offence_group:
        parts.append(rule.offence_group)
    if rule.outcome_group:
        parts.append(f"outcome: {rule.outcome_label.lower()}")
    return ", ".join(parts)
