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


# Who writes the tension log: the advisory group and partners, who hear what communities say.
AUTHORS = frozenset({Role.SCRUTINY_MEMBER, Role.PARTNER_MANAGER, Role.PARTNER_CASEWORKER})


def can_write_tension_log(user: User) -> bool:
    return has_role(user, AUTHORS)


def can_read_tension_log(user: User) -> bool:
    """Authors read their own organisation's reports; the register's readers, the shared ones."""
    return has_role(user, AUTHORS | READERS)
