"""Reads of the register of trigger events (public happenings: no scoping by organisation)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from umbrella.core.worklist import WorkItem
from umbrella.tension.models import TensionAlert, TriggerEvent


def events_between(first: date, last: date, *, area: str = "", strand: str = "") -> list[TriggerEvent]:
    """Events that began, or were still going, between the two days, newest first; for an area,
    London-wide events too; for a strand, the events that name it."""
    events = TriggerEvent.objects.filter(starts_on__lte=last).filter(
        Q(ends_on__isnull=True, starts_on__gte=first) | Q(ends_on__gte=first)
    )
    if area:
        events = events.filter(Q(area="") | Q(area=area))
    return [event for event in events if not strand or strand in event.strands]


def all_events() -> list[TriggerEvent]:
    return list(TriggerEvent.objects.select_related("recorded_by"))


def alerts_for(user: object) -> list[tuple[TensionAlert, list[TriggerEvent]]]:
    """Every alert, newest first, each with the trigger events naming its strand that began in its
    month or the month before (what may explain it)."""
    from umbrella.tension.policy import can_read_events

    if not can_read_events(user):  # type: ignore[arg-type]
        return []
    alerts = list(TensionAlert.objects.select_related("acknowledged_by")[:500])
    out = []
    for alert in alerts:
        before = (alert.period_start - timedelta(days=1)).replace(day=1)
        end = (alert.period_start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append((alert, events_between(before, end, area="" if alert.area == "london" else alert.area,
                                          strand=alert.strand)))
    return out


def alert_work_items(user: object) -> list[WorkItem]:
    """Alerts waiting to be acknowledged, for the keepers of the register."""
    from umbrella.tension.policy import can_keep_events

    if not can_keep_events(user):  # type: ignore[arg-type]
        return []
    waiting = TensionAlert.objects.filter(acknowledged_at__isnull=True)[:50]
    return [WorkItem(kind="Tension alert", title=f"Acknowledge the rise in {alert.strand.replace('_', ' ')} "
                     f"hate ({alert.area if alert.area != 'london' else 'London'}, {alert.period_start:%B %Y})",
                     url=reverse("tension:alerts"), due_at=None) for alert in waiting]
