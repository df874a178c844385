"""Who works the hub's review queue and who reads its compliance figures."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.agencies.models import OrganisationKind

# Hub reviewers work the queue; their supervisors can step in and decide items too.
REVIEWERS = frozenset({Role.HUB_REVIEWER, Role.SUPERVISOR})
# The compliance dashboard: the hub, its supervisors and the force's analysts.
DASHBOARD_READERS = frozenset({Role.HUB_REVIEWER, Role.SUPERVISOR, Role.ANALYST})


def _in_force(user: Any) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.POLICE_FORCE


def can_review(user: Any) -> bool:
    return has_role(user, REVIEWERS) and _in_force(user)


def can_read_dashboard(user: Any) -> bool:
    return has_role(user, DASHBOARD_READERS) and _in_force(user)
