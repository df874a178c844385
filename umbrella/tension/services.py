"""Every write of the register of trigger events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.reference.selectors import current_code
from umbrella.tension import actions
from umbrella.tension.models import EventScope, TriggerEvent
from umbrella.tension.policy import can_keep_events

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
    audit_event_write(actor=actor, action=actions.TRIGGER_EVENT_RECORD, target=event, target_label=event.name[:100],
                      changes={"starts_on": starts_on.isoformat(), "scope": scope, "strands": event.strands, "area": area})
    return event
