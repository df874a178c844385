"""Who may triage, record centre intake and manage consent."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

# Roles that read their own organisation's records and may work its triage queue.
TRIAGERS = frozenset(
    {
        Role.OFFICER,
        Role.INVESTIGATOR,
        Role.SUPERVISOR,
        Role.HUB_REVIEWER,
        Role.CALL_HANDLER,
        Role.PARTNER_CASEWORKER,
        Role.PARTNER_MANAGER,
    }
)
# Third-party reporting centre staff who record reports on a victim's behalf.
CENTRE_RECORDERS = frozenset({Role.PARTNER_CASEWORKER, Role.PARTNER_MANAGER})


def can_triage(user: Any) -> bool:
    return has_role(user, TRIAGERS)


def can_record_for_centre(user: Any) -> bool:
    organisation = getattr(user, "organisation", None)
    return has_role(user, CENTRE_RECORDERS) and organisation is not None and not organisation.is_police
