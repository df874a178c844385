"""Who reads statistics: counts only, never a record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

if TYPE_CHECKING:
    from umbrella.accounts.models import User

STATISTICS_READERS = frozenset({
    Role.ANALYST, Role.SUPERVISOR, Role.HUB_REVIEWER, Role.PARTNER_MANAGER, Role.SCRUTINY_MEMBER, Role.SYSTEM_ADMIN,
})


def can_see_statistics(user: User) -> bool:
    return has_role(user, STATISTICS_READERS)
