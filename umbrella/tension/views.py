"""The register of trigger events: a list for its readers, a form for its keepers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.statistics.boundaries import borough_map, points_map
from umbrella.tension.charts import alert_chart
from umbrella.tension.forms import HotspotForm, TensionReportForm, TriggerEventForm
from umbrella.tension.models import TensionAlert, TensionReport
from umbrella.tension.policy import (
    can_keep_events,
    can_read_events,
    can_read_tension_log,
    can_write_tension_log,
)
from umbrella.tension.selectors import (
    alert_history,
    alerts_for,
    alerts_not_told_count,
    all_events,
    hotspots,
    labels,
    small_area_hotspots,
    tension_log_for,
    tension_report_get,
)
from umbrella.tension.services import (
    alert_acknowledge,
    tension_report_record,
    tension_report_share,
    trigger_event_record,
)
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import current_user, form_page, pages_for, posted


@require_GET
@pages_for(can_read_events, refusal="Your role does not read the register of trigger events.")
def events(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    named = labels()
    rows = [(event, named.strand_list(event.strands), named.boroughs.get(event.area, event.area)) for event in all_events()]
    return render(request, "tension/events.html", {"rows": rows, "can_keep": can_keep_events(user)})


@require_http_methods(["GET", "POST"])
@pages_for(can_keep_events, refusal="Your role does not keep the register of trigger events.")
def event_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return form_page(
        request, TriggerEventForm(posted(request)), template="tension/event_new.html",
        save=lambda data: trigger_event_record(
            actor=user, name=data["name"], starts_on=data["starts_on"], ends_on=data.get("ends_on"), scope=data["scope"],
            area=data.get("area") or "", strands=list(data["strands"]), communities=data.get("communities") or "",
            source=data.get("source") or "",
        ),
        message=lambda event: f"“{event.name}” added to the register", then=lambda _: redirect("tension:events"),
    )


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="What you know of it, or what is being done", max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text="Do not name anyone.",
                           error_messages={"required": "Enter what you know of it, or what is being done"})


@require_GET
@pages_for(can_read_events, refusal="Your role does not read tension alerts.")
def alerts(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    named = labels()
    # The alerts people are told of first; every alert (continuing months, parts, gradual rises) on asking.
    show_all = request.GET.get("show") == "all"
    # One form for each alert, its fields prefixed so every note box has its own id.
    rows = [(alert, named.kind(alert.strand, alert.sub_category, joined=" ({})"), named.area(alert.area), events,
             AcknowledgeForm(prefix=f"alert-{alert.pk}"))
            for alert, events in alerts_for(user, told_only=not show_all)]
    return render(request, "tension/alerts.html", {"rows": rows, "can_keep": can_keep_events(user), "show_all": show_all,
                                                   "not_told": alerts_not_told_count(user)})


@require_GET
@pages_for(can_read_events, refusal="Your role does not read tension alerts.")
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    """One alert with its series around it: counted, expected and threshold month by month, and
    the trigger events of each month, as a chart and a table."""
    alert = get_object_or_404(TensionAlert, pk=alert_id)
    named = labels()
    title = f"{named.kind(alert.strand, alert.sub_category)}, {named.area(alert.area)}"
    history = alert_history(alert)
    return render(request, "tension/alert.html", {
        "alert": alert, "title": title, "history": history, "chart": alert_chart(history, title=title),
    })


@require_POST
@pages_for(can_keep_events, refusal="Your role does not acknowledge tension alerts.")
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = current_user(request)
    alert = get_object_or_404(TensionAlert, pk=alert_id)
    form = AcknowledgeForm(request.POST, prefix=f"alert-{alert.pk}")
    try:
        if not form.is_valid():
            raise ValidationError({"note": "Enter what you know of it, or what is being done"})
        alert_acknowledge(actor=user, alert=alert, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, "; ".join(m for ms in error.message_dict.values() for m in ms))
    else:
        messages.success(request, "Alert acknowledged")
    return redirect("tension:alerts")


@require_GET
@pages_for(can_read_tension_log, refusal="Your role does not read the tension log.")
def tension_log(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    named = labels()
    rows = [(entry, named.strand_list(entry.report.strands), named.area(entry.report.area))
            for entry in tension_log_for(user=user)]
    return render(request, "tension/log.html", {"rows": rows, "can_write": can_write_tension_log(user)})


@require_http_methods(["GET", "POST"])
@pages_for(can_write_tension_log, refusal="Your role does not write the tension log.")
def tension_report_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return form_page(
        request, TensionReportForm(posted(request)), template="tension/report_new.html",
        save=lambda data: tension_report_record(
            actor=user, observed_on=data["observed_on"], area=data["area"], strands=list(data["strands"]),
            level=data["level"], summary=data["summary"],
        ),
        message="Report added to the tension log: only your organisation sees it until you share it",
        then=lambda _: redirect("tension:log"),
    )


@require_POST
@pages_for(can_write_tension_log, refusal="Your role does not write the tension log.")
def tension_report_share_view(request: HttpRequest, report_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        report = tension_report_get(user=user, report_id=report_id)
    except TensionReport.DoesNotExist as missing:
        raise Http404("No such report") from missing
    tension_report_share(actor=user, report=report)
    messages.success(request, "Report shared: the police and the other readers of the log can now see it")
    return redirect("tension:log")


@require_GET
@pages_for(can_read_events, refusal="Your role does not read tension alerts.")
def hotspots_view(request: HttpRequest) -> HttpResponse:
    """Boroughs above what their own history leads one to expect, for a month and a strand: a map
    shaded by the highest score in each borough, and the table of every count above its expected."""
    today = timezone.localdate()
    form = HotspotForm(request.GET or None, today=today)
    month, strand = form.chosen_month(), form.chosen_strand()
    found = hotspots(month=month, strand=strand)
    named = labels()
    highest: dict[str, int] = {}
    for spot in found:
        highest[spot.area] = max(highest.get(spot.area, 0), round(100 * spot.score))
    drawn = borough_map(highest, title="Highest score (x100)", alt_text=(
        "Map of London's boroughs shaded by the highest score of any count above its expected in the month, darker "
        "for further above; grey where none is. The table below gives every count.")) if highest else None
    rows = [(spot, named.area(spot.area), named.kind(spot.strand, spot.sub_category)) for spot in found]
    small = small_area_hotspots(month=month, strand=strand)
    small_rows = [(spot, named.area(spot.borough)) for spot in small.hotspots]
    placed = [(spot.latitude, spot.longitude, float(spot.observed), spot.name) for spot in small.hotspots
              if spot.latitude is not None and spot.longitude is not None]
    small_map = points_map(placed, title="Records", alt_text=(
        "Map of London's boroughs with a circle at each small-area hotspot, larger for more records. "
        "The table below gives every one.")) if placed else None
    return render(request, "tension/hotspots.html", {
        "form": form, "month": month, "rows": rows, "chart": drawn,
        "small": small, "small_rows": small_rows, "small_map": small_map,
        "errors": govuk_error_items(form) if form.is_bound and form.errors else [],
    })
