"""Who keeps the register of trigger events: the hub, the advisory group (scrutiny members) and
partner managers, who hear first what is happening in their communities; analysts and supervisors
read it beside the counts. Events are public happenings, never people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

if TYPE_CHECKING:
    from umbrella.accounts.models import User

KEEPERS = frozenset({Role.HUB_REVIEWER, Role.SCRUTINY_MEMBER, Role.PARTNER_MANAGER})
READERS = KEEPERS | frozenset({Role.ANALYST, Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def can_keep_events(user: User) -> bool:
    return has_role(user, KEEPERS)


def can_read_events(user: User) -> bool:
    return has_role(user, READERS)
