"""Who takes part in risk conferences, and who runs them. Scoping of conferences is in selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.conferences.models import ActionStatus

if TYPE_CHECKING:
    from umbrella.conferences.models import AgreedAction, Conference

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


def can_complete(actor: Any, action: AgreedAction, conference: Conference) -> bool:
    """The assigned organisation's participants, and the host's organisers."""
    if action.status != ActionStatus.OPEN:
        return False
    if takes_part(actor) and actor.organisation_id == action.assigned_organisation_id:
        return True
    return bool(can_organise(actor) and actor.organisation_id == conference.host_id)



def can_approve_minutes(actor: Any, conference: Conference) -> bool:
    if actor.organisation_id != conference.host_id:
        return False
    return bool(actor.pk == conference.chair_id or (takes_part(actor) and actor.role in MINUTES_APPROVERS))
