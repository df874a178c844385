"""Statistics pages: counts for a period and an area, each table downloadable as CSV."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from umbrella.accounts.models import User
from umbrella.reference.selectors import current_codes
from umbrella.statistics.forms import StatisticsForm, months_back
from umbrella.statistics.models import Route
from umbrella.statistics.policy import can_see_statistics
from umbrella.statistics.selectors import counts_the_collation, stat_table
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import current_user, pages_for

TABLES = {
    "month": "Records by month",
    "strand": "Records by strand of hate",
    "borough": "Records by borough",
    "kind": "Records by kind",
    "route": "Where records were reported",
}
KIND_LABELS = {"hate_crime": "Hate crime", "nchi": "Non-crime hate incident", "other_crime": "Other crime"}


def _months(start: date, end: date) -> list[date]:
    months = []
    current = start
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _tables(user: User, *, period: tuple[date, date], filters: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    start, end = period
    labels: dict[str, dict[str, str]] = {
        "strand": {c.code: c.label for c in current_codes(scheme="strand")},
        "borough": {c.code: c.label for c in current_codes(scheme="borough")},
        "kind": KIND_LABELS,
        "route": {value: str(label) for value, label in Route.choices},
    }
    by_month = {row["month"]: int(row["count"]) for row in stat_table(user=user, by=["month"], filters=filters, months=period)}
    a_year_before = (months_back(start, 13), months_back(end, 13))
    earlier = {row["month"]: int(row["count"])
               for row in stat_table(user=user, by=["month"], filters=filters, months=a_year_before)}
    tables: dict[str, list[dict[str, object]]] = {"month": [
        {"key": f"{month:%Y-%m}", "label": f"{month:%B %Y}", "count": by_month.get(f"{month:%Y-%m}", 0),
         "year_before": earlier.get(f"{months_back(month, 13):%Y-%m}", 0)}
        for month in _months(start, end)
    ]}
    for name in ("strand", "borough", "kind", "route"):
        rows = stat_table(user=user, by=[name], filters=filters, months=period)
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
    tables = _tables(user, period=period, filters=form.filters())
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
        "total": sum(int(str(row["count"])) for row in tables["month"]),
        "collation": counts_the_collation(user), "query": query.urlencode(),
        "errors": govuk_error_items(form) if form.is_bound and form.errors else [],
    })
