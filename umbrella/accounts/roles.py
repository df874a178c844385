"""Which roles a user may hold in each kind of organisation.

Roles carry record access (see ``accounts.policy`` and ``cases.scoping``), so a police role in a
community organisation, or a caseworker role in a scrutiny body, would quietly widen what that
organisation sees. User administration checks every role against this table.
"""

from __future__ import annotations

from umbrella.accounts.models import Role
from umbrella.agencies.models import OrganisationKind

POLICE_ROLES = frozenset(
    {
        Role.CALL_HANDLER,
        Role.OFFICER,
        Role.INVESTIGATOR,
        Role.HUB_REVIEWER,
        Role.SUPERVISOR,
        Role.ANALYST,
    }
)
PARTNER_ROLES = frozenset({Role.PARTNER_CASEWORKER, Role.PARTNER_MANAGER})

ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.POLICE_FORCE: POLICE_ROLES | {Role.ORG_ADMIN},
    OrganisationKind.THIRD_PARTY_CENTRE: PARTNER_ROLES | {Role.ORG_ADMIN},
    OrganisationKind.VICTIM_SERVICE: PARTNER_ROLES | {Role.ORG_ADMIN},
    # Councils run community safety partnerships with their own analysts.
    OrganisationKind.LOCAL_AUTHORITY: PARTNER_ROLES | {Role.ANALYST, Role.ORG_ADMIN},
    OrganisationKind.HOUSING_PROVIDER: PARTNER_ROLES | {Role.ORG_ADMIN},
    OrganisationKind.CPS: PARTNER_ROLES | {Role.ORG_ADMIN},
    # Scrutiny sees aggregates only; no role there may read records.
    OrganisationKind.SCRUTINY_BODY: frozenset({Role.SCRUTINY_MEMBER, Role.ORG_ADMIN}),
}

# A system administrator belongs to no organisation: the role spans all of them.
ORGANISATIONLESS_ROLES = frozenset({Role.SYSTEM_ADMIN})


def roles_for_kind(kind: str) -> frozenset[str]:
    return ROLES_BY_KIND.get(kind, frozenset())


def role_allowed(*, role: str, organisation_kind: str | None) -> bool:
    """True when ``role`` may be held in an organisation of that kind (None: no organisation)."""
    if organisation_kind is None:
        return role in ORGANISATIONLESS_ROLES
    return role in roles_for_kind(organisation_kind)


def role_choices_for_kind(kind: str | None) -> list[tuple[str, str]]:
    """(value, label) pairs in the order ``Role`` declares them, for forms."""
    return [
        (value, str(label))
        for value, label in Role.choices
        if role_allowed(role=value, organisation_kind=kind)
    ]
