"""Who keeps the schedule and decides reviews: a record's own organisation's supervisors, partner
managers and organisation administrators; the schedule itself, system administrators."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import role_of

REVIEWERS = frozenset({Role.SUPERVISOR, Role.PARTNER_MANAGER, Role.ORG_ADMIN})


def can_review_retention(user: Any) -> bool:
    return role_of(user) in REVIEWERS and getattr(user, "organisation_id", None) is not None


def can_keep_schedule(user: Any) -> bool:
    return role_of(user) == Role.SYSTEM_ADMIN
