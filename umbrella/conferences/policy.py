"""Who takes part in risk conferences, and who runs them. Scoping of conferences is in selectors."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

# Roles that attend conferences, share information for cases and carry out agreed actions.
PARTICIPANTS = frozenset(
    {
        Role.OFFICER,
        Role.INVESTIGATOR,
        Role.SUPERVISOR,
        Role.HUB_REVIEWER,
        Role.PARTNER_CASEWORKER,
        Role.PARTNER_MANAGER,
    }
)
# Roles of the hosting organisation that set conferences up, list cases, agree actions and minute.
ORGANISERS = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.PARTNER_MANAGER})
# Minutes are approved by a supervisor or manager of the host (or the chair).
MINUTES_APPROVERS = frozenset({Role.SUPERVISOR, Role.PARTNER_MANAGER})
# Referring a case needs a role that may write records (call handlers excepted: they do not attend).
REFERRERS = PARTICIPANTS


def takes_part(user: Any) -> bool:
    return has_role(user, PARTICIPANTS)


def can_organise(user: Any) -> bool:
    return has_role(user, ORGANISERS)


def can_refer(user: Any) -> bool:
    return has_role(user, REFERRERS)
