"""Who takes part in dip-sampling: a scrutiny body's members review their body's samples; a police
force's supervisors answer the feedback on their force's cases. Nobody else sees either."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.agencies.models import OrganisationKind

if TYPE_CHECKING:
    from umbrella.accounts.models import User


PANEL_ROLES = frozenset({Role.SCRUTINY_MEMBER})
ANSWERING_ROLES = frozenset({Role.SUPERVISOR})


def is_panel_member(user: User) -> bool:
    organisation = getattr(user, "organisation", None)
    return bool(has_role(user, PANEL_ROLES) and organisation is not None
                and organisation.kind == OrganisationKind.SCRUTINY_BODY)


def answers_feedback(user: User) -> bool:
    organisation = getattr(user, "organisation", None)
    return bool(has_role(user, ANSWERING_ROLES) and organisation is not None
                and organisation.kind == OrganisationKind.POLICE_FORCE)


def can_dip_sample(user: User) -> bool:
    return is_panel_member(user) or answers_feedback(user)
