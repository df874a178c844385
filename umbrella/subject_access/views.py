"""People's requests about their data, for their organisation's handlers: the requests with their
deadlines, a new request, one request with the people proposed and its bundle, and closing it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.core.pagination import CappedPaginator
from umbrella.subject_access.forms import CloseForm, ExtendForm, RequestForm
from umbrella.subject_access.models import MatchStatus, RequestStatus, SubjectMatch, SubjectRequest
from umbrella.subject_access.pdf import bundle_pdf
from umbrella.subject_access.policy import can_handle_subject_requests
from umbrella.subject_access.selectors import (
    bundle_make,
    matches_of,
    request_get,
    requester_details,
    requests_for,
    working_days_left,
)
from umbrella.subject_access.services import (
    extension_refusal,
    match_decide,
    subject_request_close,
    subject_request_extend,
    subject_request_open,
)
from umbrella.web.views import current_user, form_page, pages_for, posted

REFUSAL = "Your role does not handle people's requests about their data."
PAGE_SIZE = 50


def _request_or_404(request: HttpRequest, request_id: int) -> SubjectRequest:
    try:
        return request_get(user=current_user(request), request_id=request_id)
    except SubjectRequest.DoesNotExist:
        raise Http404("No request found") from None


@require_GET
@pages_for(can_handle_subject_requests, refusal=REFUSAL)
def requests(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(requests_for(user=current_user(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(found, working_days_left(found)) for found in page.object_list]
    return render(request, "subject_access/requests.html", {"rows": rows, "page": page})


@require_http_methods(["GET", "POST"])
@pages_for(can_handle_subject_requests, refusal=REFUSAL)
def new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return form_page(
        request, RequestForm(posted(request), initial={"received_on": timezone.localdate()}),
        template="subject_access/new.html",
        save=lambda data: subject_request_open(actor=user, **data),
        message=lambda opened: f"Request {opened.reference} recorded: due {opened.due_on:%-d %B %Y}",
        then=lambda opened: redirect("subject_access:request", opened.pk),
    )


@require_http_methods(["GET", "POST"])
@pages_for(can_handle_subject_requests, refusal=REFUSAL)
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    found = _request_or_404(request, request_id)

    def shown() -> dict[str, Any]:
        details = requester_details(user=user, request=found)
        if details["date_of_birth"]:
            details["date_of_birth"] = f"{date.fromisoformat(details['date_of_birth']):%-d %B %Y}"
        matches = matches_of(request=found, user=user)
        return {
            "found": found, "details": details, "matches": matches,
            "days_left": working_days_left(found), "is_open": found.status == RequestStatus.OPEN,
            "confirmed": any(view.match.status == MatchStatus.CONFIRMED for view in matches),
            "extend_form": ExtendForm(),
            "may_extend": not extension_refusal(found),
        }

    return form_page(
        request, CloseForm(posted(request)), template="subject_access/request.html",
        save=lambda data: subject_request_close(actor=user, request=found, status=data["status"], reason=data["reason"]),
        context=shown, message=lambda closed: f"Request {closed.reference} {closed.get_status_display().lower()}",
        then=lambda closed: redirect("subject_access:request", closed.pk),
    )


@require_POST
@pages_for(can_handle_subject_requests, refusal=REFUSAL)
def extend(request: HttpRequest, request_id: int) -> HttpResponse:
    """Extends the deadline by two months, once, on one of the law's grounds."""
    found = _request_or_404(request, request_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose why the request needs longer")
    else:
        try:
            extended = subject_request_extend(actor=current_user(request), request=found, ground=form.cleaned_data["ground"])
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, f"Request {extended.reference} is now due on {extended.due_on:%-d %B %Y}. "
                                      "Tell the person, and why, before the first month ends.")
    return redirect("subject_access:request", found.pk)


@require_POST
@pages_for(can_handle_subject_requests, refusal=REFUSAL)
def match(request: HttpRequest, request_id: int, match_id: int) -> HttpResponse:
    found = _request_or_404(request, request_id)
    try:
        proposed = SubjectMatch.objects.get(pk=match_id, request=found)
    except SubjectMatch.DoesNotExist:
        raise Http404("No match found") from None
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        messages.error(request, "Choose whether the person is the requester or someone else")
    else:
        try:
            match_decide(actor=current_user(request), match=proposed, confirmed=decision == "confirm")
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
    return redirect("subject_access:request", found.pk)


@require_GET
@pages_for(can_handle_subject_requests, refusal=REFUSAL)
def bundle(request: HttpRequest, request_id: int, form: str) -> HttpResponse:
    found = _request_or_404(request, request_id)
    made = bundle_make(actor=current_user(request), request=found)
    if form == "pdf":
        response = HttpResponse(bundle_pdf(made, dated=timezone.localdate()), content_type="application/pdf")
    else:
        response = HttpResponse(json.dumps(made.as_json(), indent=2, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.reference}.{form}"'
    response["Cache-Control"] = "no-store"
    return response
