"""Reads for organisation and user administration, scoped to what the administrator manages.

An organisation administrator manages only their own organisation; a system administrator
manages every organisation (and the organisation-less system administrators). Anything else is
out of scope and the views answer 404. None of this grants access to records: record scoping
lives in ``cases.scoping`` and gives administrators nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from umbrella.accounts.models import Role, User
from umbrella.accounts.policy import USER_ADMINS, has_role, role_of
from umbrella.agencies.models import Organisation, Team


def is_system_admin(user: Any) -> bool:
    return role_of(user) == Role.SYSTEM_ADMIN


def can_administer(user: Any) -> bool:
    return has_role(user, USER_ADMINS)


def can_manage_organisation(user: Any, organisation_id: int | None) -> bool:
    """Whether ``user`` may manage the users and teams of that organisation (None: no organisation)."""
    if is_system_admin(user):
        return True
    return (
        organisation_id is not None
        and role_of(user) == Role.ORG_ADMIN
        and user.organisation_id == organisation_id
    )


def manageable_organisations(*, user: Any) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if is_system_admin(user):
        return qs
    if can_administer(user):
        return qs.filter(pk=user.organisation_id)
    return qs.none()


def organisation_list(*, user: Any) -> QuerySet[Organisation]:
    """Organisations the user manages, with counts for the overview page."""
    return manageable_organisations(user=user).annotate(
        user_count=Count("users", distinct=True),
        team_count=Count("teams", distinct=True),
    ).order_by("name")


def organisation_get(*, user: Any, organisation_id: int) -> Organisation:
    """Raises Organisation.DoesNotExist when out of scope, which views turn into 404."""
    return manageable_organisations(user=user).get(pk=organisation_id)


def manageable_users(*, user: Any) -> QuerySet[User]:
    qs = User.objects.select_related("organisation", "team")
    if is_system_admin(user):
        return qs
    if can_administer(user):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def user_list(*, user: Any, organisation: Organisation | None) -> QuerySet[User]:
    """Users of one organisation, or (organisation None) the organisation-less system administrators."""
    qs = manageable_users(user=user)
    if organisation is None:
        return qs.filter(organisation__isnull=True).order_by("username")
    return qs.filter(organisation=organisation).order_by("username")


def user_get(*, user: Any, user_id: int) -> User:
    """Raises User.DoesNotExist when out of scope."""
    return manageable_users(user=user).get(pk=user_id)


def manageable_teams(*, user: Any) -> QuerySet[Team]:
    qs = Team.objects.select_related("organisation")
    if is_system_admin(user):
        return qs
    if can_administer(user):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def team_list(*, user: Any, organisation: Organisation) -> QuerySet[Team]:
    return (
        manageable_teams(user=user)
        .filter(organisation=organisation)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


def team_get(*, user: Any, team_id: int) -> Team:
    """Raises Team.DoesNotExist when out of scope."""
    return manageable_teams(user=user).get(pk=team_id)


def active_teams_of(*, organisation: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(organisation=organisation, is_active=True).order_by("name")
