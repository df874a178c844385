"""Statistics pages: counts for a period and an area, each table downloadable as CSV."""

from __future__ import annotations

import csv
import io
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.accounts.models import User
from umbrella.accounts.policy import has_role
from umbrella.core.extensions import board_measures, board_measures_by_provider, page_panels
from umbrella.statistics.forms import (
    PackForm,
    ReleaseForm,
    StandardsForm,
    StatisticsForm,
    last_twelve_whole_months,
)
from umbrella.statistics.models import OpenDataRelease
from umbrella.statistics.pack import (
    pack_csv_files,
    pack_downloaded,
    pack_pdf,
    scrutiny_pack,
    write_board_csv,
)
from umbrella.statistics.policy import can_see_statistics
from umbrella.statistics.releases import PREPARERS, PUBLISHERS, release_prepare, release_publish
from umbrella.statistics.selectors import counted_records, counts_the_collation
from umbrella.statistics.standards import borough_standards, share_measures, write_standards_csv
from umbrella.statistics.tables import (
    EQUALITY_GROUPS,
    TABLES,
    dashboard_charts,
    dashboard_tables,
    equality_table,
    write_equality_csv,
)
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import button_post, current_user, form_page, pages_for, posted


@login_required
@require_GET
@pages_for(can_see_statistics, refusal="Your role does not give access to statistics.")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = StatisticsForm(request.GET or None, today=timezone.localdate())
    if form.is_bound:
        form.is_valid()
    period = form.period()
    csv_table = request.GET.get("table", "") if request.GET.get("format") == "csv" else None
    if csv_table not in ("board", "equality") and csv_table is not None and csv_table not in TABLES:
        raise Http404("No such table")
    group = form.equality_group()
    if csv_table == "equality":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="equality-by-{group}.csv"'
        write_equality_csv(equality_table(user, period=period, filters=form.filters(), kinds=form.kinds(), group=group),
                           group, response)
        return response
    # What the board asks beyond volumes: each app counts its own work over the same records
    # (not for the other tables' CSVs, which do not show it).
    measures = board_measures(
        counted_records(user=user, months=period, filters=form.filters(), kinds=form.kinds())
    ) if csv_table in (None, "board") else []
    if csv_table == "board":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="for-the-board.csv"'
        write_board_csv(measures, response)
        return response
    tables = dashboard_tables(user, period=period, filters=form.filters(), kinds=form.kinds())
    if csv_table is not None:
        name = csv_table
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="records-by-{name}.csv"'
        writer = csv.writer(response)
        published = name == "month" and any(row.get("published") is not None for row in tables[name])
        extra = (["count_a_year_before"] if name == "month" else []) + (["count_met_published"] if published else [])
        writer.writerow([name, "label", "count", *extra])
        for row in tables[name]:
            values = [row["year_before"]] if name == "month" else []
            if published:
                values.append("" if row.get("published") is None else row["published"])
            writer.writerow([row["key"], row["label"], row["count"], *values])
        return response
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    largest = {name: max([int(str(row["count"])) for row in rows] or [0]) for name, rows in tables.items()}
    charts = dashboard_charts(tables)
    equality = equality_table(user, period=period, filters=form.filters(), kinds=form.kinds(), group=group)
    return render(request, "statistics/dashboard.html", {
        "form": form, "period": period,
        "tables": [(name, TABLES[name], tables[name], largest[name], charts.get(name)) for name in TABLES],
        "measures": measures, "pack_form": PackForm(today=timezone.localdate()),
        # What other apps set beside the counts (tension: the trigger events of the period).
        "panels": page_panels("statistics.dashboard", user, {"period": period, "filters": form.filters()}),
        "total": sum(int(str(row["count"])) for row in tables["month"]),
        "published": any(row.get("published") is not None for row in tables["month"]),
        "equality": equality, "equality_title": EQUALITY_GROUPS[group][0],
        "counting": dict(StatisticsForm.base_fields["kind"].choices).get(  # type: ignore[attr-defined]
            form.kinds()[0] if len(form.kinds()) == 1 else "", "Records"),
        "collation": counts_the_collation(user), "query": query.urlencode(), "can_release": can_handle_releases(user),
        "errors": govuk_error_items(form) if form.is_bound and form.errors else [],
    })


@login_required
@require_GET
@pages_for(can_see_statistics, refusal="Your role does not give access to statistics.")
def standards(request: HttpRequest) -> HttpResponse:
    """Minimum standards by borough: one board measure, every borough against the overall level
    on a funnel plot, with the table of figures and its CSV."""
    user = current_user(request)
    today = timezone.localdate()
    probe = StatisticsForm(request.GET or None, today=today)
    if probe.is_bound:
        probe.is_valid()
    by_provider = board_measures_by_provider(
        counted_records(user=user, months=probe.period(), filters=probe.filters(), kinds=probe.kinds()))
    overall = [measure for found in by_provider.values() for measure in found]
    measures = share_measures(overall)
    # Unless one is chosen, the first share that has cases to measure.
    data = request.GET.copy()
    if not data.get("measure"):
        data["measure"] = next((key for key in share_measures([m for m in overall if m.out_of])), next(iter(measures), ""))
    form = StandardsForm(data, today=today, measures=measures)
    if form.is_bound:
        form.is_valid()
    figures = borough_standards(user=user, months=form.period(), measure=form.chosen_measure(), overall=by_provider,
                                filters=form.filters(), kinds=form.kinds())
    if data.get("format") == "csv" and figures is not None and not form.errors:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="standards-by-borough-{figures.measure}.csv"'
        write_standards_csv(figures, response)
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "statistics/standards.html", {
        "form": form, "period": form.period(), "standards": figures, "query": query.urlencode(),
        "errors": govuk_error_items(form) if form.is_bound and form.errors else [],
    })


@login_required
@require_GET
@pages_for(can_see_statistics, refusal="Your role does not give access to statistics.")
def pack(request: HttpRequest) -> HttpResponse:
    """The monthly scrutiny pack as a PDF, or its data as CSV files in a zip; each download audited."""
    user = current_user(request)
    form = PackForm(request.GET or None, today=timezone.localdate())
    if form.is_bound and not form.is_valid():
        return render(request, "statistics/pack_error.html", {"form": form, "errors": govuk_error_items(form)}, status=400)
    made = scrutiny_pack(user=user, month=form.month_or_last(), area=form.area_or_london())
    if (form.cleaned_data.get("format") if form.is_bound else "") == "csv":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in pack_csv_files(made).items():
                archive.writestr(name, text)
        pack_downloaded(actor=user, pack=made, what="csv")
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{made.file_stem}.zip"'
        return response
    content = pack_pdf(made)
    pack_downloaded(actor=user, pack=made, what="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{made.file_stem}.pdf"'
    return response


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
