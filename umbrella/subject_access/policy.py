"""Who answers people's requests about their data: the organisation's supervisors, partner managers
and organisation administrators (its information-governance leads), for their own organisation only."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import role_of

HANDLERS = frozenset({Role.SUPERVISOR, Role.PARTNER_MANAGER, Role.ORG_ADMIN})


def can_handle_subject_requests(user: Any) -> bool:
    return role_of(user) in HANDLERS and getattr(user, "organisation_id", None) is not None
