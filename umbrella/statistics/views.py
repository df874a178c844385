"""Statistics pages: counts for a period and an area, each table downloadable as CSV."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.accounts.models import User
from umbrella.accounts.policy import has_role
from umbrella.agencies.models import OrganisationKind
from umbrella.core.extensions import board_measures
from umbrella.reference.selectors import current_codes
from umbrella.statistics.forms import (
    ReleaseForm,
    StatisticsForm,
    last_twelve_whole_months,
    months_back,
    months_between,
)
from umbrella.statistics.models import OpenDataRelease, Route
from umbrella.statistics.policy import can_see_statistics
from umbrella.statistics.releases import PREPARERS, PUBLISHERS, release_prepare, release_publish
from umbrella.statistics.selectors import counted_records, counts_the_collation, stat_table
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import button_post, current_user, form_page, pages_for, posted

TABLES = {
    "month": "Records by month",
    "strand": "Records by strand of hate",
    "borough": "Records by borough",
    "kind": "Records by kind",
    "route": "Where records were reported",
    "source": "Records by the kind of organisation that holds them",
    "victim_ethnicity": "Records by the victim's ethnicity (where given)",
}
KIND_LABELS = {"hate_crime": "Hate crime", "nchi": "Non-crime hate incident", "other_crime": "Other crime"}


def _tables(
    user: User, *, period: tuple[date, date], filters: dict[str, str], kinds: tuple[str, ...]
) -> dict[str, list[dict[str, object]]]:
    start, end = period
    labels: dict[str, dict[str, str]] = {
        "strand": {c.code: c.label for c in current_codes(scheme="strand")},
        "borough": {c.code: c.label for c in current_codes(scheme="borough")},
        "kind": KIND_LABELS,
        "route": {value: str(label) for value, label in Route.choices},
        "source": {value: str(label) for value, label in OrganisationKind.choices},
        "victim_ethnicity": {c.code: c.label for c in current_codes(scheme="ethnicity")},
    }
    by_month = {row["month"]: int(row["count"]) for row in stat_table(user=user, by=["month"], filters=filters, months=period, kinds=kinds)}
    a_year_before = (months_back(start, 13), months_back(end, 13))
    earlier = {row["month"]: int(row["count"])
               for row in stat_table(user=user, by=["month"], filters=filters, months=a_year_before, kinds=kinds)}
    tables: dict[str, list[dict[str, object]]] = {"month": [
        {"key": f"{month:%Y-%m}", "label": f"{month:%B %Y}", "count": by_month.get(f"{month:%Y-%m}", 0),
         "year_before": earlier.get(f"{months_back(month, 13):%Y-%m}", 0)}
        for month in months_between(start, end)
    ]}
    for name in ("strand", "borough", "kind", "route", "source", "victim_ethnicity"):
        rows = stat_table(user=user, by=[name], filters=filters, months=period, kinds=kinds)
        tables[name] = [
            {"key": row[name], "label": labels[name].get(str(row[name]), str(row[name]) or "Not recorded"),
             "count": int(row["count"])}
            for row in rows
        ]
    return tables


@login_required
@require_GET
@pages_for(can_see_statistics, refusal="Your role does not give access to statistics.")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = StatisticsForm(request.GET or None, today=timezone.localdate())
    if form.is_bound:
        form.is_valid()
    period = form.period()
    tables = _tables(user, period=period, filters=form.filters(), kinds=form.kinds())
    # What the board asks beyond volumes: each app counts its own work over the same records.
    measures = board_measures(counted_records(user=user, months=period, filters=form.filters(), kinds=form.kinds()))
    if request.GET.get("format") == "csv" and request.GET.get("table") == "board":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="for-the-board.csv"'
        writer = csv.writer(response)
        writer.writerow(["section", "measure", "count", "out_of", "percent", "note"])
        for measure in measures:
            writer.writerow([measure.section, measure.label, measure.count,
                             "" if measure.out_of is None else measure.out_of,
                             "" if measure.percent is None else f"{measure.percent:.1f}", measure.note])
        return response
    if request.GET.get("format") == "csv":
        name = request.GET.get("table", "")
        if name not in tables:
            raise Http404("No such table")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="records-by-{name}.csv"'
        writer = csv.writer(response)
        extra = ["count_a_year_before"] if name == "month" else []
        writer.writerow([name, "label", "count", *extra])
        for row in tables[name]:
            writer.writerow([row["key"], row["label"], row["count"], *([row["year_before"]] if extra else [])])
        return response
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    largest = {name: max([int(str(row["count"])) for row in rows] or [0]) for name, rows in tables.items()}
    return render(request, "statistics/dashboard.html", {
        "form": form, "period": period, "tables": [(name, TABLES[name], tables[name], largest[name]) for name in TABLES],
        "measures": measures,
        "total": sum(int(str(row["count"])) for row in tables["month"]),
        "counting": dict(StatisticsForm.base_fields["kind"].choices).get(  # type: ignore[attr-defined]
            form.kinds()[0] if len(form.kinds()) == 1 else "", "Records"),
        "collation": counts_the_collation(user), "query": query.urlencode(), "can_release": can_handle_releases(user),
        "errors": govuk_error_items(form) if form.is_bound and form.errors else [],
    })


def can_handle_releases(user: User) -> bool:
    return has_role(user, PREPARERS | PUBLISHERS)


@login_required
@require_GET
@pages_for(can_handle_releases, refusal="Your role does not prepare or publish open data.")
def releases(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    first, last = last_twelve_whole_months(timezone.localdate())
    return render(request, "statistics/releases.html", {
        "releases": OpenDataRelease.objects.select_related("prepared_by", "published_by"),
        "can_prepare": has_role(user, PREPARERS), "can_publish": has_role(user, PUBLISHERS),
        "form": ReleaseForm(initial={"first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}"}),
    })


@login_required
@require_http_methods(["GET", "POST"])
@pages_for(lambda user: has_role(user, PREPARERS), refusal="Only analysts and supervisors prepare open data releases.")
def release_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return form_page(
        request, ReleaseForm(posted(request)), template="statistics/release_new.html",
        save=lambda data: release_prepare(actor=user, first_month=data["first_month"], last_month=data["last_month"]),
        then=lambda _: redirect("statistics:releases"),
        message=lambda release: f"Release {release.number} prepared: "
        + ("the disclosure audit passed; a supervisor can publish it" if release.audit_passed
           else "the disclosure audit did not pass, so it cannot be published"),
    )


@login_required
@require_POST
@pages_for(lambda user: has_role(user, PUBLISHERS), refusal="Only supervisors publish open data.")
def release_publish_view(request: HttpRequest, number: int) -> HttpResponse:
    user = current_user(request)
    release = get_object_or_404(OpenDataRelease, number=number)
    return button_post(
        request, lambda: release_publish(actor=user, release=release),
        message=lambda published: f"Release {published.number} published on /open-data/",
        then=lambda _: redirect("statistics:releases"), refused=lambda: redirect("statistics:releases"),
    )
