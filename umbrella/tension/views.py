"""The register of trigger events: a list for its readers, a form for its keepers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.reference.selectors import current_codes
from umbrella.tension.charts import alert_chart
from umbrella.tension.forms import TriggerEventForm
from umbrella.tension.models import TensionAlert
from umbrella.tension.policy import can_keep_events, can_read_events
from umbrella.tension.selectors import alert_history, alerts_for, all_events
from umbrella.tension.services import alert_acknowledge, trigger_event_record
from umbrella.web.views import current_user, form_page, pages_for, posted


@require_GET
@pages_for(can_read_events, refusal="Your role does not read the register of trigger events.")
def events(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    strands = {code.code: code.label for code in current_codes(scheme="strand")}
    boroughs = {code.code: code.label for code in current_codes(scheme="borough")}
    rows = [(event, ", ".join(strands.get(code, code) for code in event.strands), boroughs.get(event.area, event.area))
            for event in all_events()]
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
    strands = {code.code: code.label for code in current_codes(scheme="strand")}
    boroughs = {code.code: code.label for code in current_codes(scheme="borough")}
    # One form for each alert, its fields prefixed so every note box has its own id.
    subs = {code.code: code.label for code in current_codes(scheme="sub_category")}
    rows = [(alert, strands.get(alert.strand, alert.strand)
             + (f" ({subs.get(alert.sub_category, alert.sub_category)})" if alert.sub_category else ""),
             boroughs.get(alert.area, "London"), events, AcknowledgeForm(prefix=f"alert-{alert.pk}"))
            for alert, events in alerts_for(user)]
    return render(request, "tension/alerts.html", {"rows": rows, "can_keep": can_keep_events(user)})


@require_GET
@pages_for(can_read_events, refusal="Your role does not read tension alerts.")
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    """One alert with its series around it: counted, expected and threshold month by month, and
    the trigger events of each month, as a chart and a table."""
    alert = get_object_or_404(TensionAlert, pk=alert_id)
    title = _alert_title(alert)
    history = alert_history(alert)
    return render(request, "tension/alert.html", {
        "alert": alert, "title": title, "history": history, "chart": alert_chart(history, title=title),
    })


def _alert_title(alert: TensionAlert) -> str:
    strands = {code.code: code.label for code in current_codes(scheme="strand")}
    subs = {code.code: code.label for code in current_codes(scheme="sub_category")}
    boroughs = {code.code: code.label for code in current_codes(scheme="borough")}
    strand = strands.get(alert.strand, alert.strand) + (
        f": {subs.get(alert.sub_category, alert.sub_category)}" if alert.sub_category else "")
    return f"{strand}, {boroughs.get(alert.area, 'London')}"


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
