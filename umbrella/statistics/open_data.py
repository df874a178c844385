"""The public open data pages (/open-data/): no sign-in, no JavaScript needed, counts only.

Only published releases are shown, exactly as published (the stored CSV text); a prepared release
does not exist here until a supervisor publishes it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from umbrella.core.charts import Chart, bar_chart, line_chart
from umbrella.reference.models import Code, Scheme
from umbrella.statistics.boundaries import borough_map
from umbrella.statistics.models import OpenDataRelease, OpenDataTable, ReleaseStatus
from umbrella.statistics.releases import SUPPRESSED

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def _published() -> list[OpenDataRelease]:
    return list(OpenDataRelease.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-number"))


def _release(number: int) -> OpenDataRelease:
    release = OpenDataRelease.objects.filter(number=number, status=ReleaseStatus.PUBLISHED).first()
    if release is None:
        raise Http404("No such release")
    return release


def _rows(table: OpenDataTable) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(table.csv)))


def _labelled(table: OpenDataTable) -> list[dict[str, Any]]:
    labels = {c.code: c.label for c in Code.objects.filter(scheme__in=[Scheme.BOROUGH, Scheme.STRAND])}
    dimension = table.dimensions[0] if table.dimensions else ""
    rows = []
    for row in _rows(table):
        key = row.get(dimension, "")
        label = labels.get(key, "Not recorded" if key == "unknown" else key)
        rows.append({"key": key, "label": label, "count": row["count"], "suppressed": row["count"] == SUPPRESSED})
    return rows


def _chart(table: OpenDataTable, rows: list[dict[str, Any]]) -> Chart | None:
    """The published counts drawn: a suppressed count is left out of the drawing as it is of the
    table (a gap in the line, a grey borough), so the drawing shows nothing the table does not."""
    shown = [row for row in rows if not row["suppressed"]]
    if not shown:
        return None
    if table.name == "records-by-month":
        return line_chart([{"month": row["key"], "series": "Crimes and incidents", "count": int(row["count"])} for row in shown],
                          x="month", y="count", series="series", x_title="Month", y_title="Crimes and incidents",
                          sort=[row["key"] for row in rows],
                          alt_text="Line chart of crimes and incidents by month; months not shown in the table "
                          "are left out. The table below gives the figures.")
    if table.name == "records-by-borough":
        return borough_map({row["key"]: int(row["count"]) for row in shown}, title="Crimes and incidents",
                           alt_text="Map of London's boroughs shaded by the number of crimes and incidents, darker "
                           "for more; a borough whose count is not shown is grey. The table below gives the figures.")
    return bar_chart([{"label": row["label"], "count": int(row["count"])} for row in shown], category="label",
                     value="count", category_title="Strand", value_title="Strand counts",
                     alt_text="Bar chart of counts by strand of hate; strands not shown in the table are left out. "
                     "The table below gives the figures.")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    releases = _published()
    latest = releases[0] if releases else None
    context: dict[str, Any] = {"latest": latest, "releases": releases, "licence": LICENCE, "licence_url": LICENCE_URL}
    if latest is not None:
        tables = {t.name: t for t in latest.tables.all()}
        total = _rows(tables["records-total"])[0]["count"] if "records-total" in tables else ""
        labelled = [(tables[name], _labelled(tables[name]))
                    for name in ("records-by-month", "records-by-borough", "strands-by-strand") if name in tables]
        context.update(total=total, shown=[(table, rows, _chart(table, rows)) for table, rows in labelled],
                       tables=list(tables.values()))
    return render(request, "statistics/open_data/index.html", context)


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    return render(request, "statistics/open_data/methodology.html", {
        "threshold": settings.UMBRELLA_OPEN_DATA_THRESHOLD, "licence": LICENCE, "licence_url": LICENCE_URL,
    })


@require_GET
def table_csv(request: HttpRequest, number: int, table: str) -> HttpResponse:
    found = _release(number).tables.filter(name=table).first()
    if found is None:
        raise Http404("No such table")
    response = HttpResponse(found.csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="umbrella-{number}-{table}.csv"'
    return response


@require_GET
def table_json(request: HttpRequest, number: int, table: str) -> JsonResponse:
    release = _release(number)
    found = release.tables.filter(name=table).first()
    if found is None:
        raise Http404("No such table")
    rows = [{**{d: row[d] for d in found.dimensions},
             "count": None if row["count"] == SUPPRESSED else int(row["count"])} for row in _rows(found)]
    return JsonResponse({"release": number, "table": table, "dimensions": found.dimensions,
                         "suppression_threshold": release.threshold, "suppressed_is": None, "rows": rows})


@require_GET
def datasets(request: HttpRequest) -> JsonResponse:
    """Every published table with its CSV address, dimensions, period and suppression threshold."""
    items = []
    for release in _published():
        for table in release.tables.all():
            items.append({
                "release": release.number, "name": table.name, "title": table.title,
                "dimensions": table.dimensions,
                "period": {"first_month": f"{release.first_month:%Y-%m}", "last_month": f"{release.last_month:%Y-%m}"},
                "suppression_threshold": release.threshold, "suppressed_cells": table.suppressed,
                "csv": request.build_absolute_uri(reverse("open_data:table-csv", args=[release.number, table.name])),
                "json": request.build_absolute_uri(reverse("open_data:table-json", args=[release.number, table.name])),
                "sha256": table.sha256, "published": release.published_at.isoformat() if release.published_at else None,
                "licence": LICENCE,
            })
    return JsonResponse({"datasets": items}, json_dumps_params={"indent": 2})



