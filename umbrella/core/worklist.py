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
from datetime import datetime
from typing import TYPE_CHECKING

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
