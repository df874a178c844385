"""Who may see and who may decide on screening models."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

MODEL_APPROVERS = frozenset({Role.SYSTEM_ADMIN, Role.SUPERVISOR})
MODEL_VIEWERS = frozenset({Role.HUB_REVIEWER, Role.SUPERVISOR, Role.ANALYST, Role.SYSTEM_ADMIN})


def can_view_models(user: Any) -> bool:
    return has_role(user, MODEL_VIEWERS)


def can_approve_models(user: Any) -> bool:
    return has_role(user, MODEL_APPROVERS)
