"""Every write of the register of trigger events, the alerts and the tension log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.audit.services import audit_event_write
from umbrella.crypto.fields import encrypt
from umbrella.reference.selectors import current_code
from umbrella.tension import actions
from umbrella.tension.models import (
    SUMMARY_COLUMN,
    EventScope,
    TensionAlert,
    TensionLevel,
    TensionReport,
    TriggerEvent,
)
from umbrella.tension.policy import can_keep_events, can_write_tension_log

if TYPE_CHECKING:
    from umbrella.accounts.models import User


@transaction.atomic
def trigger_event_record(
    *, actor: User | None, name: str, starts_on: date, scope: str, strands: list[str], ends_on: date | None = None,
    area: str = "", communities: str = "", source: str = "",
) -> TriggerEvent:
    """Adds an event to the register. Refused, with nothing saved: for a role that does not keep it,
    without a name or strand, for an unknown strand or borough, a local event without a borough, an
    end before the start, and a start more than a year ahead (a planned march may be known early)."""
    if actor is not None and not can_keep_events(actor):
        raise PermissionDenied("Your role does not keep the register of trigger events.")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter what happened"
    if scope not in EventScope.values:
        errors["scope"] = "Choose whether it is international, national or local"
    if not strands:
        errors["strands"] = "Choose the strands of hate likely to be affected"
    elif unknown := [code for code in strands if current_code(scheme="strand", code=code) is None]:
        errors["strands"] = f"Not a strand: {', '.join(unknown)}"
    if area and current_code(scheme="borough", code=area) is None:
        errors["area"] = "Choose a borough from the list"
    elif scope == EventScope.LOCAL and not area:
        errors["area"] = "Choose the borough of a local event"
    if starts_on > timezone.localdate() + timedelta(days=365):
        errors["starts_on"] = "The start must be within a year from today"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end must be the same as or after the start"
    if errors:
        raise ValidationError(errors)
    event = TriggerEvent.objects.create(
        name=name.strip(), starts_on=starts_on, ends_on=ends_on, scope=scope, area=area, strands=sorted(set(strands)),
        communities=communities.strip(), source=source.strip(), recorded_by=actor,
    )
    audit_event_write(actor=actor, action=actions.TRIGGER_EVENT_RECORD, target=event, target_label=event.name,
                      changes={"starts_on": starts_on.isoformat(), "scope": scope, "strands": event.strands, "area": area})
    return event


@transaction.atomic
def alerts_raise(*, actor: User | None, source: str = "umbrella", level: str = "london", since: date) -> list[TensionAlert]:
    """Scans every series of the source at the level and keeps an alert for each period from
    ``since`` on whose count exceeds its threshold; one already raised is not raised again."""
    from umbrella.tension.detection import (
        Judgement,
        SeriesKey,
        Settings,
        Signal,
        fold_into_sub_categories,
        scan,
        signals,
    )
    from umbrella.tension.series import monthly_series

    since = since.replace(day=1)
    found: list[tuple[SeriesKey, Judgement]] = []
    kinds: dict[SeriesKey, str] = {}
    for series in monthly_series(source=source, level=level):
        judgements = scan(series.counts, Settings())
        places = signals(judgements)
        for judged in judgements:
            key = (series.strand, series.sub_category, series.area, series.months[judged.index])
            if judged.index in places:
                kinds[key] = places[judged.index]
            if judged.alert and key[3] >= since:
                found.append((key, judged))
    # A strand's total that tells with one of its sub-categories is the same event: told once.
    kinds = fold_into_sub_categories(kinds)
    raised = []
    for (strand, sub_category, area, month), judged in found:
        alert, created = TensionAlert.objects.get_or_create(
            source=source, period_start=month, strand=strand, sub_category=sub_category, area=area,
            defaults={"observed": judged.observed, "expected": judged.expected, "threshold": judged.threshold,
                      "score": judged.score, "signal": kinds.get((strand, sub_category, area, month), Signal.NEW)},
        )
        if created:
            raised.append(alert)
    audit_event_write(actor=actor, action=actions.TENSION_ALERTS_RAISE, target=None, target_label=f"{source} {level}",
                      changes={"since": since.isoformat(), "raised": len(raised)})
    # Mail to those the alert concerns, once the alerts are stored (never from inside the scan).
    from umbrella.tension.tasks import notify_alert

    def notify(alert_id: int) -> None:
        transaction.on_commit(lambda: notify_alert.enqueue(alert_id))

    # A continuing period of a signal already told of, or a strand's total told as its
    # sub-category's, is listed, not mailed again.
    for alert in raised:
        if alert.signal in (Signal.NEW, Signal.RISING):
            notify(alert.pk)
    return raised


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: TensionAlert, note: str) -> TensionAlert:
    """One of the alert's keepers says it has been seen, with what they know of it."""
    if not can_keep_events(actor):
        raise PermissionDenied("Your role does not acknowledge tension alerts.")
    alert = TensionAlert.objects.select_for_update().get(pk=alert.pk)
    if not note.strip():
        raise ValidationError({"note": "Enter what you know of it, or what is being done"})
    alert.note, alert.acknowledged_by, alert.acknowledged_at = note.strip(), actor, timezone.now()
    alert.save(update_fields=["note", "acknowledged_by", "acknowledged_at"])
    audit_event_write(actor=actor, action=actions.TENSION_ALERT_ACKNOWLEDGE, target=alert, target_label=str(alert),
                      changes={"note": "set"})
    return alert


@transaction.atomic
def tension_report_record(
    *, actor: User, observed_on: date, area: str, strands: list[str], level: str, summary: str,
) -> TensionReport:
    """Adds a community tension report to the log, as its author's organisation's own (not shared).
    Refused, with nothing saved: for a role that does not write the log, without an account or a
    strand, for an unknown strand, borough or level, and a day in the future."""
    if not can_write_tension_log(actor) or actor.organisation_id is None:
        raise PermissionDenied("Your role does not write the tension log.")
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = "Enter what you are hearing in the community"
    if not strands:
        errors["strands"] = "Choose the strands of hate it concerns"
    elif unknown := [code for code in strands if current_code(scheme="strand", code=code) is None]:
        errors["strands"] = f"Not a strand: {', '.join(unknown)}"
    if area != "london" and current_code(scheme="borough", code=area) is None:
        errors["area"] = "Choose a borough from the list, or all of London"
    if level not in TensionLevel.values:
        errors["level"] = "Choose how high the tension is"
    if observed_on > timezone.localdate():
        errors["observed_on"] = "The day must be today or in the past"
    if errors:
        raise ValidationError(errors)
    report = TensionReport.objects.create(
        organisation_id=actor.organisation_id, author=actor, observed_on=observed_on, area=area,
        strands=sorted(set(strands)), level=level,
        summary=encrypt(summary.strip(), organisation_id=actor.organisation_id, column=SUMMARY_COLUMN) or "",
    )
    audit_event_write(actor=actor, action=actions.TENSION_REPORT_RECORD, target=report, target_label=str(report),
                      changes={"observed_on": observed_on.isoformat(), "area": area, "strands": report.strands,
                               "level": level, "summary": "set"})
    return report


@transaction.atomic
def tension_report_share(*, actor: User, report: TensionReport) -> TensionReport:
    """Shares a report with every reader of the log, the police included. Only its author, or a
    partner manager of its organisation, may; sharing is once and for good."""
    report = TensionReport.objects.select_for_update().get(pk=report.pk)
    if report.organisation_id != actor.organisation_id or not (
            report.author_id == actor.pk or has_role(actor, frozenset({Role.PARTNER_MANAGER}))):
        raise PermissionDenied("Only the report's author, or a manager of their organisation, shares it.")
    if report.shared_at is not None:
        return report
    report.shared_at, report.shared_by = timezone.now(), actor
    report.save(update_fields=["shared_at", "shared_by"])
    audit_event_write(actor=actor, action=actions.TENSION_REPORT_SHARE, target=report, target_label=str(report),
                      changes={"shared": True})
    return report
