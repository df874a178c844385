from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from umbrella.cases.models import RecordKind
from umbrella.cases.policy import can_write_records
from umbrella.cases.views import get_record_or_404
from umbrella.core.charts import Chart, line_chart
from umbrella.core.extensions import page_panels
from umbrella.outcomes import selectors, services
from umbrella.outcomes.forms import (
    ChargingDecisionForm,
    CourtHearingForm,
    CourtResultForm,
    FunnelFilterForm,
    OutcomeForm,
    ReviewDecisionForm,
    ReviewRequestForm,
)
from umbrella.outcomes.funnel import FUNNEL_PAGE, Funnel, attrition_funnel, write_stages_csv
from umbrella.outcomes.models import RightToReviewRequest
from umbrella.outcomes.policy import can_record_outcome, can_record_prosecution, can_see_funnel
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import current_user, form_page, pages_for, posted

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record
    from umbrella.outcomes.models import CourtResult


def _owned_crime(
    request: HttpRequest, record_id: int, *, whose: str, may: Callable[[User, Record], bool] = can_record_outcome
) -> tuple[User, Record]:
    """The signed-in user and the crime they may record decisions on: 404 out of scope, 403 for a
    role that never records them or a record another organisation owns (for charging decisions and
    court results, ``may`` lets in the CPS the force shared the crime with)."""
    user = current_user(request)
    if not can_write_records(user):
        raise PermissionDenied(f"Your role cannot record {whose}.")
    record = get_record_or_404(user, record_id)
    if not may(user, record):
        raise PermissionDenied(f"Only the organisation that owns this crime records its {whose}.")
    return user, record


def _to_record(record: Record) -> HttpResponse:
    return redirect("cases:record-detail", record_id=record.pk)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _owned_crime(request, record_id, whose="outcomes")
    return form_page(
        request, OutcomeForm(posted(request)), template="outcomes/outcome_add.html", context={"record": record},
        save=lambda data: services.outcome_record(
            actor=user, record=record, outcome_code=data["outcome"], decided_on=data["decided_on"],
            suspect_identified=data["suspect_identified"] == "yes",
        ),
        message="Outcome recorded", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def charging_add(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _owned_crime(request, record_id, whose="charging decisions", may=can_record_prosecution)
    return form_page(
        request, ChargingDecisionForm(posted(request)), template="outcomes/charging_add.html",
        context={"record": record},
        save=lambda data: services.charging_decision_record(
            actor=user, record=record, decision=data["decision"], decided_by=data["decided_by"],
            decided_on=data["decided_on"],
        ),
        message="Charging decision recorded", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def court_add(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _owned_crime(request, record_id, whose="court results", may=can_record_prosecution)
    def record_result(data: dict[str, Any]) -> CourtResult:
        uplift = data.get("uplift") or "no"
        return services.court_result_record(
            actor=user, record=record, result=data["result"], decided_on=data["decided_on"],
            offence_code=data.get("offence") or "", sentence=data.get("sentence") or "",
            uplift_applied=uplift in ("applied", "announced"), uplift_announced=uplift == "announced",
        )

    return form_page(
        request, CourtResultForm(posted(request)), template="outcomes/court_add.html", context={"record": record},
        save=record_result, field_map={"uplift_applied": "uplift", "uplift_announced": "uplift"},
        message="Court result recorded", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_add(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _owned_crime(request, record_id, whose="court hearings", may=can_record_prosecution)
    return form_page(
        request, CourtHearingForm(posted(request)), template="outcomes/hearing_add.html", context={"record": record},
        save=lambda data: services.court_hearing_record(
            actor=user, record=record, kind=data["kind"], heard_on=data["heard_on"], plea=data.get("plea") or "not_entered",
        ),
        message="Court hearing recorded: tell the victim its date", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_request(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _owned_crime(request, record_id, whose="Right to Review requests")
    return form_page(
        request, ReviewRequestForm(posted(request)), template="outcomes/review_request.html", context={"record": record},
        save=lambda data: services.right_to_review_request(
            actor=user, record=record, scheme=data["scheme"], requested_on=data["requested_on"]
        ),
        message="Right to Review request recorded", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    if not can_write_records(current_user(request)):  # the role first: the answer says nothing of the review
        raise PermissionDenied("Your role cannot record Right to Review results.")
    try:
        review = selectors.review_get(user=current_user(request), review_id=review_id)
    except RightToReviewRequest.DoesNotExist:
        raise Http404("No review found") from None
    user, record = _owned_crime(request, review.record_id, whose="Right to Review results")
    return form_page(
        request, ReviewDecisionForm(posted(request)), template="outcomes/review_decide.html",
        context={"record": record, "review": review},
        save=lambda data: services.right_to_review_decide(
            actor=user, review=review, result=data["result"], decided_on=data["decided_on"]
        ),
        message="Right to Review result recorded: tell the victim", then=lambda _: _to_record(record),
    )


def funnel_chart(result: Funnel, other: Funnel | None) -> Chart | None:
    """Each stage's share of reported as a line falling through the stages, with the other crime's
    beside it when there is any; the table below the chart holds the figures."""
    if not result.reported:
        return None
    series = [("Hate crime and incidents", result)] + ([("Other crime", other)] if other is not None else [])
    points = [{"stage": stage.label, "series": name, "share": stage.percent_of_reported}
              for name, funnel in series for stage in funnel.stages]
    return line_chart(points, x="stage", y="share", series="series", x_title="Stage", y_title="Share of reported (%)",
                      sort=[stage.label for stage in result.stages],
                      alt_text="Line chart of each stage's share of the cases reported"
                      + (", for hate crime and incidents and for other crime" if other is not None else "")
                      + ". The table below gives the figures.")


@login_required
@require_GET
@pages_for(can_see_funnel, refusal="Your role does not give access to the attrition funnel.")
def funnel(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = FunnelFilterForm(request.GET)
    form.is_valid()
    # The median days to each stage cost several ordered queries: shown when asked for.
    medians = request.GET.get("medians") == "1"
    result = attrition_funnel(user=user, filters=form.to_filters(), medians=medians)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="attrition-funnel.csv"'
        write_stages_csv(result, response)
        return response
    query = request.GET.copy()
    toggled = request.GET.copy()
    if medians:
        toggled.pop("medians", None)
    else:
        toggled["medians"] = "1"
    query["format"] = "csv"
    query.pop("medians", None)
    # Side by side: the same filters over the other crime the user may see (e.g. the data.police.uk
    # feed), so a reader sees whether hate crime drops out more; shown when there is any.
    other = attrition_funnel(user=user, filters=form.to_filters(), kinds=(RecordKind.OTHER_CRIME,))
    # And what other apps set beside it (statistics: the Home Office's national outcome figures).
    panels = page_panels(FUNNEL_PAGE, user, {"funnel": result, "filters": form.to_filters()})
    return render(request, "outcomes/funnel.html", {
        "panels": panels, "chart": funnel_chart(result, other if other.reported else None),
        "form": form, "funnel": result, "csv_url": f"?{query.urlencode()}",
        "rows": list(zip(result.stages, other.stages, strict=True)), "other": other if other.reported else None,
        "medians": medians, "medians_url": f"?{toggled.urlencode()}",
        "errors": govuk_error_items(form) if form.errors else [],
    })
