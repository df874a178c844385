"""Pages for finding and reading records. Thin: forms parse, cases.selectors read (scoped, audited).

htmx requests that are not boosted get the page's partial (the region they replace); everything
else gets the whole page, so every page works with JavaScript off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from umbrella.accounts.policy import EXPORTERS, has_role
from umbrella.cases.forms import RecordFilterForm, StrandForm
from umbrella.cases.models import Record
from umbrella.cases.policy import can_read_records, can_write_records
from umbrella.cases.selectors import (
    can_change_record,
    change_reasons,
    home_lists,
    record_get,
    record_timeline,
)
from umbrella.cases.selectors import record_detail as select_record_detail
from umbrella.cases.selectors import record_list as select_record_list
from umbrella.cases.timeline import timeline_entries
from umbrella.core.extensions import record_panels
from umbrella.core.pagination import CappedPaginator
from umbrella.core.worklist import WorkItem, default_scope, worklist_for
from umbrella.reference.fields import sub_category_choices
from umbrella.web.forms import choice_field
from umbrella.web.views import current_user, is_htmx_partial, pages_for

if TYPE_CHECKING:
    from umbrella.accounts.models import User

PAGE_SIZE = 50


def get_record_or_404(user: User, record_id: int) -> Record:
    try:
        return record_get(user=user, record_id=record_id)
    except Record.DoesNotExist:
        raise Http404("No record found") from None


def csv_export_url(user: User, query_string: str) -> str | None:
    """The CSV export of the list as filtered, for users allowed to export; None otherwise."""
    if not has_role(user, EXPORTERS):
        return None
    try:
        url = reverse("imports:records-csv")
    except NoReverseMatch:
        # The export view belongs to the imports app; while it is not wired, offer no dead link.
        return None
    return f"{url}?{query_string}" if query_string else url


@login_required
@require_GET


def home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    context: dict[str, object] = {
        "can_read": can_read_records(user),
        "can_write": can_write_records(user),
    }
    if context["can_read"]:
        context["lists"] = home_lists(user=user)
    # What this person must do today, from every app's worklist: first on the page.
    work = worklist_for(user=user, scope=default_scope(user))
    # Overdue, due today, then what waits with no date (an alert to acknowledge): all are today's.
    due = [*work.overdue, *work.today, *work.undated]
    context["today"] = {
        "items": [(item, item in work.overdue, _whose(item, user)) for item in due[:HOME_WORK_ROWS]],
        "count": len(due), "overdue": len(work.overdue), "upcoming": len(work.upcoming),
    }
    return render(request, "cases/home.html", context)


HOME_WORK_ROWS = 15


def _whose(item: WorkItem, user: User) -> str:
    if item.assignee_id == user.pk:
        return "You"
    if item.team_id is not None and item.team_id == user.team_id:
        return "Your team"
    return "Your organisation"


@login_required
@require_GET
@pages_for(can_read_records, refusal="Your role does not give access to individual records.")
def record_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = RecordFilterForm(request.GET)
    form.is_valid()
    filters = form.to_filters()
    paginator = CappedPaginator(select_record_list(user=user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query_string = query.urlencode()
    context = {
        "form": form,
        "page": page,
        "records": list(page.object_list),
        "query_string": query_string,
        "csv_url": csv_export_url(user, query_string),
        "can_write": can_write_records(user),
    }
    response = _list_response(request, form, query_string, context)
    # The same URL answers with a fragment or a whole page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_response(request: HttpRequest, form: RecordFilterForm, query_string: str, context: dict[str, Any]) -> HttpResponse:
    if is_htmx_partial(request):
        if form.errors:
            # The error summary belongs at the top of the page, outside the swapped region:
            # send the browser to the whole page for these filters.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{request.path}?{query_string}"
            return response
        return render(request, "cases/partials/record_results.html", context)
    return render(request, "cases/record_list.html", context)


@login_required
@require_GET


def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        view = select_record_detail(user=user, record_id=record_id)
        events = record_timeline(user=user, record_id=record_id)
        reasons = change_reasons(user=user, record=view.record, events=events)
    except Record.DoesNotExist:
        raise Http404("No record found") from None
    return render(
        request,
        "cases/record_detail.html",
        {
            "view": view,
            "record": view.record,
            "timeline": timeline_entries(events, reasons),
            # Shares are read-only: only the owning organisation is offered changes.
            "can_write": can_change_record(user, view.record),
            "panels": record_panels(user, view.record),
        },
    )


@login_required
@require_GET


def sub_category_options(request: HttpRequest) -> HttpResponse:
    """The sub-category select for one strand row, narrowed to the chosen strand (htmx)."""
    prefix = request.GET.get("prefix", "")
    if not prefix.replace("-", "").replace("_", "").isalnum():
        prefix = "strand"
    form = StrandForm(prefix=prefix, row_required=True)
    strand_code = request.GET.get(f"{prefix}-strand", "")
    choice_field(form, "sub_category").choices = sub_category_choices(strand_code=strand_code)
    return render(
        request,
        "cases/partials/sub_category_select.html",
        {"field": form["sub_category"], "group_id": form.sub_category_group_id},
    )
