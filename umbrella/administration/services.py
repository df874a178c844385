"""Writes for organisations, teams and users. Every function checks the actor's authority,
validates, saves and writes its audit event in one transaction.

Bad input raises ``ValidationError`` keyed by form field name, so pages can show each message
against its field; a missing authority raises ``PermissionDenied`` (views never get that far
for out-of-scope objects: their selectors answer 404 first).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from umbrella.accounts.models import Role, User
from umbrella.accounts.roles import role_allowed
from umbrella.administration.selectors import can_manage_organisation, is_system_admin
from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.agencies.signals import organisation_created
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write
from umbrella.reference.selectors import current_code

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_USERNAME = re.compile(r"^[\w.@+-]+$")


def _require_system_admin(actor: User) -> None:
    if not is_system_admin(actor):
        raise PermissionDenied("Only a system administrator can do this.")


def _require_manager(actor: User, organisation_id: int | None) -> None:
    if not can_manage_organisation(actor, organisation_id):
        raise PermissionDenied("You cannot manage this organisation.")


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _check_borough(borough_code: str, errors: dict[str, str]) -> None:
    if borough_code and current_code(scheme="borough", code=borough_code) is None:
        errors["borough_code"] = "Choose a borough from the list"


def _team_snapshot(team: Team) -> dict[str, Any]:
    return {"name": team.name, "borough_code": team.borough_code, "is_active": team.is_active}


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "role": user.role,
        "organisation_id": user.organisation_id,
        "team_id": user.team_id,
        "is_active": user.is_active,
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {key: {"from": before[key], "to": after[key]} for key in after if before.get(key) != after[key]}


# ---- organisations -------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, actor: User, name: str, slug: str, kind: str, reference_prefix: str
) -> Organisation:
    """Creates an organisation and its own data key, so its records are encrypted apart from everyone else's."""
    _require_system_admin(actor)
    name, slug, prefix = name.strip(), slug.strip().lower(), reference_prefix.strip().upper()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the organisation's name"
    elif Organisation.objects.filter(name__iexact=name).exists():
        errors["name"] = "An organisation with this name already exists"
    if not _SLUG.match(slug):
        errors["slug"] = "Enter a short name using lower-case letters, numbers and hyphens, like tell-us"
    elif Organisation.objects.filter(slug=slug).exists():
        errors["slug"] = "Another organisation already uses this short name"
    if kind not in OrganisationKind.values:
        errors["kind"] = "Select the type of organisation"
    if not _PREFIX.match(prefix):
        errors["reference_prefix"] = (
            "Enter a reference prefix of 2 to 8 capital letters or numbers, starting with a letter, like MPS"
        )
    elif Organisation.objects.filter(reference_prefix=prefix).exists():
        errors["reference_prefix"] = "Another organisation already uses this reference prefix"
    _raise_if(errors)
    organisation = Organisation.objects.create(name=name, slug=slug, kind=kind, reference_prefix=prefix)
    audit_event_write(
        actor=actor,
        action=actions.ORGANISATION_CREATE,
        target=organisation,
        target_label=organisation.name,
        changes={"name": name, "slug": slug, "kind": kind, "reference_prefix": prefix},
    )
    # The crypto app gives it its data key (crypto.hooks), in this transaction.
    organisation_created.send(sender=Organisation, organisation=organisation, actor=actor)
    return organisation


# ---- teams ---------------------------------------------------------------------------------


def _validate_team(*, organisation: Organisation, name: str, borough_code: str, exclude_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the team's name"
    elif (
        Team.objects.filter(organisation=organisation, name__iexact=name)
        .exclude(pk=exclude_pk or 0)
        .exists()
    ):
        errors["name"] = "This organisation already has a team with this name"
    _check_borough(borough_code, errors)
    _raise_if(errors)


@transaction.atomic
def team_create(*, actor: User, organisation: Organisation, name: str, borough_code: str = "") -> Team:
    _require_manager(actor, organisation.pk)
    name, borough_code = name.strip(), borough_code.strip()
    _validate_team(organisation=organisation, name=name, borough_code=borough_code, exclude_pk=None)
    team = Team.objects.create(organisation=organisation, name=name, borough_code=borough_code)
    audit_event_write(
        actor=actor, action=actions.TEAM_CREATE, target=team, target_label=team.name,
        changes={"organisation_id": organisation.pk, **_team_snapshot(team)},
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str, borough_code: str, is_active: bool) -> Team:
    """Renames a team, changes its borough, or closes it (members keep their accounts)."""
    _require_manager(actor, team.organisation_id)
    team = Team.objects.select_for_update().get(pk=team.pk)
    name, borough_code = name.strip(), borough_code.strip()
    _validate_team(organisation=team.organisation, name=name, borough_code=borough_code, exclude_pk=team.pk)
    before = _team_snapshot(team)
    team.name, team.borough_code, team.is_active = name, borough_code, is_active
    changes = _diff(before, _team_snapshot(team))
    if changes:
        team.save(update_fields=["name", "borough_code", "is_active"])
        audit_event_write(
            actor=actor, action=actions.TEAM_UPDATE, target=team, target_label=team.name, changes=changes
        )
    return team


# ---- users ---------------------------------------------------------------------------------


def _check_role_and_team(
    *,
    role: str,
    organisation: Organisation | None,
    team: Team | None,
    errors: dict[str, str],
    current_team_id: int | None = None,
) -> None:
    if role not in Role.values:
        errors["role"] = "Select a role"
    elif not role_allowed(role=role, organisation_kind=organisation.kind if organisation else None):
        if organisation is None:
            errors["role"] = "A user without an organisation can only be a system administrator"
        else:
            errors["role"] = f"{Role(role).label} is not a role in a {organisation.get_kind_display().lower()}"
    if team is not None:
        if organisation is None or team.organisation_id != organisation.pk:
            errors["team"] = "Select a team in the user's organisation"
        elif not team.is_active and team.pk != current_team_id:
            errors["team"] = "This team is closed; select an open team"


def _check_password(password: str, user: User, errors: dict[str, str]) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = " ".join(str(message) for message in error.messages)


def _check_username(username: str, errors: dict[str, str]) -> None:
    if not username:
        errors["username"] = "Enter a username"
    elif len(username) > 150 or not _USERNAME.match(username):
        errors["username"] = "Enter a username of up to 150 letters, numbers and the characters . @ + - _"
    # Sign-in matches usernames case-insensitively, so two that differ only in case would collide.
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "This username is already taken"


@transaction.atomic
def first_administrator_create(*, username: str, password: str, email: str = "") -> User:
    """The first system administrator of a new deployment, made from the command line
    (``umbrella administrator create``); every later account is made by an administrator. Refused
    once an active system administrator exists, so the command cannot be used to add a way in."""
    if User.objects.select_for_update().filter(role=Role.SYSTEM_ADMIN, is_active=True).exists():
        raise PermissionDenied("A system administrator exists already: add further accounts from /manage/ as one.")
    username = username.strip()
    errors: dict[str, str] = {}
    _check_username(username, errors)
    user = User(username=username, email=email.strip(), role=Role.SYSTEM_ADMIN, is_active=True)
    _check_password(password, user, errors)
    _raise_if(errors)
    user.set_password(password)
    user.save()
    audit_event_write(actor=None, action=actions.USER_CREATE, target=user, target_label=user.username,
                      changes={"username": user.username, **_user_snapshot(user), "password": "set",
                               "via": "first administrator command"})
    return user


@transaction.atomic
def user_create(
    *,
    actor: User,
    organisation: Organisation | None,
    username: str,
    role: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
) -> User:
    """Adds a user to an organisation (or, for system administrators only, a system administrator)."""
    _require_manager(actor, organisation.pk if organisation else None)
    username = username.strip()
    errors: dict[str, str] = {}
    _check_username(username, errors)
    _check_role_and_team(role=role, organisation=organisation, team=team, errors=errors)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        organisation=organisation,
        team=team,
        role=role,
        is_active=True,
    )
    _check_password(password, user, errors)
    _raise_if(errors)
    user.set_password(password)
    user.save()
    audit_event_write(
        actor=actor, action=actions.USER_CREATE, target=user, target_label=user.username,
        changes={"username": user.username, **_user_snapshot(user), "password": "set"},
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, role: str, team: Team | None, is_active: bool) -> User:
    _require_manager(actor, user.organisation_id)
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    errors: dict[str, str] = {}
    if user.pk == actor.pk:
        # An administrator who removes their own access may leave the organisation with none.
        if not is_active:
            errors["is_active"] = "You cannot deactivate your own account"
        if role != user.role:
            errors["role"] = "You cannot change your own role"
    _check_role_and_team(
        role=role, organisation=user.organisation, team=team, errors=errors, current_team_id=user.team_id
    )
    _raise_if(errors)
    before = _user_snapshot(user)
    user.role, user.team, user.is_active = role, team, is_active
    changes = _diff(before, _user_snapshot(user))
    if changes:
        user.save(update_fields=["role", "team", "is_active"])
        audit_event_write(
            actor=actor, action=actions.USER_UPDATE, target=user, target_label=user.username, changes=changes
        )
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> User:
    """Lifts a lock-out caused by repeated failed sign-ins before it expires."""
    _require_manager(actor, user.organisation_id)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None,
              "failed_sign_in_count": user.failed_sign_in_count}
    user.locked_until = None
    user.failed_sign_in_count = 0
    user.save(update_fields=["locked_until", "failed_sign_in_count"])
    audit_event_write(
        actor=actor, action=actions.USER_UNLOCK, target=user, target_label=user.username,
        changes={key: {"from": value, "to": None if key == "locked_until" else 0} for key, value in before.items()},
    )
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> User:
    _require_manager(actor, user.organisation_id)
    user = User.objects.select_for_update().get(pk=user.pk)
    errors: dict[str, str] = {}
    _check_password(password, user, errors)
    _raise_if(errors)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_event_write(
        actor=actor, action=actions.USER_PASSWORD_SET, target=user, target_label=user.username,
        changes={"password": "changed"},
    )
    return user
