"""The worklist: what each person and team must do, gathered from every app.

Apps register a provider in their AppConfig.ready()::

    from umbrella.core.worklist import register_worklist_provider
    register_worklist_provider("risk", risk_worklist_items)  # in risk/hooks.py

A provider takes the signed-in user and returns WorkItems that user may see (scoped with the
app's own selectors): their own tasks (``assignee_id == user.pk``) and their team's (same
``team_id``). The care app's worklist page groups them into overdue, due today and coming up.
Providers must answer in a few queries however many items there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from umbrella.accounts.models import User


@dataclass(frozen=True)
class WorkItem:
    kind: str  # e.g. "Risk plan action", "Victim update", "Hub review", "Referral"
    title: str  # what to do, without personal data (it may be shown to the whole team)
    url: str  # where to do it; no personal data in it
    due_at: datetime | None
    assignee_id: int | None = None
    team_id: int | None = None
    organisation_id: int | None = None
    record_reference: str = ""


WorklistProvider = Callable[["User"], list[WorkItem]]
_PROVIDERS: dict[str, WorklistProvider] = {}


def register_worklist_provider(name: str, provider: WorklistProvider) -> None:
    _PROVIDERS[name] = provider


def worklist_providers() -> dict[str, WorklistProvider]:
    return dict(_PROVIDERS)


def worklist_items(user: User) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _PROVIDERS.values():
        items.extend(provider(user))
    return sorted(items, key=lambda item: (item.due_at is None, item.due_at.timestamp() if item.due_at else 0.0))


# --- grouping, for the worklist page and the home page ---------------------------------------

WORKLIST_HORIZON_DAYS = 7
WORK_SCOPES = ("mine", "team", "organisation")


def default_scope(user: User) -> str:
    return "team" if user.team_id else "organisation"


def in_scope(item: WorkItem, user: User, scope: str) -> bool:
    if scope == "mine":
        return item.assignee_id == user.pk
    if scope == "team":
        return item.assignee_id == user.pk or (user.team_id is not None and item.team_id == user.team_id)
    return item.organisation_id in (None, user.organisation_id)


@dataclass
class WorklistGroups:
    overdue: list[WorkItem]
    today: list[WorkItem]
    upcoming: list[WorkItem]
    undated: list[WorkItem]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.upcoming) + len(self.undated)


def group_work_items(items: list[WorkItem], *, now: datetime) -> WorklistGroups:
    """Overdue (due before now), due today (later today, local time), coming up (the next 7 days)."""
    today = timezone.localtime(now).date()
    horizon = today + timedelta(days=WORKLIST_HORIZON_DAYS)
    groups = WorklistGroups([], [], [], [])
    for item in items:
        if item.due_at is None:
            groups.undated.append(item)
        elif item.due_at < now:
            groups.overdue.append(item)
        elif timezone.localtime(item.due_at).date() == today:
            groups.today.append(item)
        elif timezone.localtime(item.due_at).date() <= horizon:
            groups.upcoming.append(item)
    return groups


def worklist_for(*, user: User, scope: str, now: datetime | None = None) -> WorklistGroups:
    items = [item for item in worklist_items(user) if in_scope(item, user, scope)]
    return group_work_items(items, now=now or timezone.now())
