"""Who may see and change the bias indicator rules."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import REFERENCE_ADMINS, has_role

# System administrators maintain the rules; hub reviewers read them and use the 'try it' page.
INDICATOR_ADMINS = REFERENCE_ADMINS
INDICATOR_READERS = REFERENCE_ADMINS | frozenset({Role.HUB_REVIEWER})


def can_admin_indicators(user: Any) -> bool:
    return has_role(user, INDICATOR_ADMINS)


def can_read_indicators(user: Any) -> bool:
    return has_role(user, INDICATOR_READERS)
