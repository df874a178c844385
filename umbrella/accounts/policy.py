"""Roles and the rules of the foundations (imports, exports, audit search, reference data, users,
aggregates). Each domain keeps its own rules beside it: who reads and changes records is in
cases.policy, and so on."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role

EXPORTERS = frozenset({Role.OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.HUB_REVIEWER, Role.PARTNER_MANAGER})
IMPORTERS = frozenset({Role.SUPERVISOR, Role.PARTNER_MANAGER, Role.SYSTEM_ADMIN})
AUDIT_SEARCHERS = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})
REFERENCE_ADMINS = frozenset({Role.SYSTEM_ADMIN})
USER_ADMINS = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
AGGREGATE_READERS = frozenset({Role.SCRUTINY_MEMBER, Role.ANALYST, Role.SUPERVISOR, Role.SYSTEM_ADMIN})
def role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role or None


def has_role(user: Any, roles: frozenset[str]) -> bool:
    role = role_of(user)
    return role is not None and role in roles and (
        role == Role.SYSTEM_ADMIN or user.organisation_id is not None
    )
