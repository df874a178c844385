"""Reading the audit log, scoped: supervisors see their own organisation's part, system administrators all."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from umbrella.accounts.models import Role
from umbrella.accounts.policy import AUDIT_SEARCHERS, has_role, role_of
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.core.extensions import record_ids


@dataclass(frozen=True)
class AuditFilters:
    reference: str = ""
    actor: str = ""
    action: str = ""
    occurred_from: date | None = None
    occurred_to: date | None = None


def action_codes() -> list[str]:
    """Every action code: the foundations' (audit.actions), then each app's own ``actions`` module
    (cases.actions, intake.actions...), found through the app registry so audit imports no app."""
    from django.apps import apps

    modules = [actions]
    for config in apps.get_app_configs():
        if config.name.startswith("umbrella.") and config.name != "umbrella.audit":
            try:
                modules.append(importlib.import_module(f"{config.name}.actions"))
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.actions":
                    raise  # an actions module that itself fails to import
                continue
    codes: list[str] = []
    for module in modules:
        codes.extend(
            value for name, value in vars(module).items()
            if name.isupper() and isinstance(value, str) and value not in codes
        )
    return codes


def action_label(code: str) -> str:
    subject, _, verb = code.partition(".")
    return f"{subject.replace('_', ' ').capitalize()}: {verb.replace('_', ' ')}" if verb else code


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Events about the user's organisation: done by its people, or done to its records by anyone."""
    if not has_role(user, AUDIT_SEARCHERS):
        return AuditEvent.objects.none()
    if role_of(user) == Role.SYSTEM_ADMIN:
        return AuditEvent.objects.all()
    organisation_id = user.organisation_id
    own_records = record_ids(organisation_id=organisation_id)
    return AuditEvent.objects.filter(Q(organisation_id_snapshot=organisation_id) | Q(record_id__in=own_records))


def audit_search(*, user: Any, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Matching events, newest first ("who viewed this victim's record in the last month?")."""
    events = audit_events_visible_to(user)
    if filters.reference:
        matching = record_ids(reference=filters.reference.strip())
        events = events.filter(record_id__in=matching)
    if filters.actor:
        events = events.filter(actor_display__iexact=filters.actor.strip())
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.occurred_from:
        events = events.filter(occurred_at__gte=_start_of(filters.occurred_from))
    if filters.occurred_to:
        events = events.filter(occurred_at__lt=_start_of(filters.occurred_to + timedelta(days=1)))
    return events.order_by("-id")
