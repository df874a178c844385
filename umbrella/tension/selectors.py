"""Reads of the register of trigger events (public happenings: no scoping by organisation)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from umbrella.tension.models import TriggerEvent


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
