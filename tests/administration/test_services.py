from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import TEST_PASSWORD, TeamFactory, code, make_record
from tests.reads import decrypt
from umbrella.accounts.models import Role, User
from umbrella.administration.services import (
    organisation_create,
    team_create,
    team_update,
    user_create,
    user_set_password,
    user_unlock,
    user_update,
)
from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record
from umbrella.crypto.fields import encrypt
from umbrella.crypto.models import OrganisationKey

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# ---- organisations ------------------------------------------------------------------------


def test_it_creates_an_organisation_with_its_own_data_key_and_audits_it(world):
    organisation = organisation_create(
        actor=world.system_admin, name="Stop Hate Hackney", slug="stop-hate-hackney",
        kind=OrganisationKind.THIRD_PARTY_CENTRE, reference_prefix="shh",
    )
    assert organisation.reference_prefix == "SHH"
    key = OrganisationKey.objects.get(organisation=organisation, is_active=True)
    ciphertext = encrypt("secret", organisation_id=organisation.pk, column="cases.record.narrative")
    assert ciphertext is not None and f":{key.key_id}:" in ciphertext
    assert decrypt(ciphertext, column="cases.record.narrative") == "secret"
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.target_id == str(organisation.pk) and event.actor_id == world.system_admin.pk
    assert AuditEvent.objects.filter(action="key.create", target_id=str(key.pk)).exists()


@pytest.mark.parametrize("persona", ["org_admin", "officer", "supervisor"])
def test_only_a_system_admin_can_create_an_organisation(world, persona):
    with pytest.raises(PermissionDenied):
        organisation_create(
            actor=getattr(world, persona), name="New Org", slug="new-org",
            kind=OrganisationKind.VICTIM_SERVICE, reference_prefix="NEW",
        )
    assert not Organisation.objects.filter(slug="new-org").exists()


def test_it_names_every_problem_with_a_new_organisation_and_creates_nothing(world):
    with pytest.raises(ValidationError) as excinfo:
        organisation_create(
            actor=world.system_admin, name="Tell Us Centre", slug="Bad Slug!",
            kind="pub", reference_prefix="MPS",
        )
    errors = _errors(excinfo)
    assert errors["name"] == ["An organisation with this name already exists"]
    assert "lower-case" in errors["slug"][0]
    assert errors["kind"] == ["Select the type of organisation"]
    assert errors["reference_prefix"] == ["Another organisation already uses this reference prefix"]
    assert Organisation.objects.count() == 5
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


# ---- teams --------------------------------------------------------------------------------


def test_an_org_admin_creates_and_updates_a_team_in_their_organisation(world):
    westminster = code("borough", "E09000033", "Westminster", gss="E09000033")
    team = team_create(actor=world.org_admin, organisation=world.force, name="Westminster CSU", borough_code=westminster.code)
    assert team.organisation == world.force and team.borough_code == "E09000033"
    updated = team_update(actor=world.org_admin, team=team, name="Westminster Community Safety Unit", borough_code="", is_active=False)
    assert (updated.name, updated.borough_code, updated.is_active) == ("Westminster Community Safety Unit", "", False)
    create_event = AuditEvent.objects.get(action="team.create")
    assert create_event.changes["name"] == "Westminster CSU"
    update_event = AuditEvent.objects.get(action="team.update")
    assert update_event.changes["name"] == {"from": "Westminster CSU", "to": "Westminster Community Safety Unit"}
    assert update_event.changes["is_active"] == {"from": True, "to": False}


def test_an_org_admin_cannot_create_a_team_in_another_organisation(world):
    with pytest.raises(PermissionDenied):
        team_create(actor=world.org_admin, organisation=world.centre, name="Outreach")
    assert not Team.objects.filter(name="Outreach").exists()


def test_a_team_name_must_be_unique_in_its_organisation_and_the_borough_must_exist(world):
    team_create(actor=world.org_admin, organisation=world.force, name="Hub")
    with pytest.raises(ValidationError) as excinfo:
        team_create(actor=world.org_admin, organisation=world.force, name="hub", borough_code="E09999999")
    assert _errors(excinfo) == {
        "name": ["This organisation already has a team with this name"],
        "borough_code": ["Choose a borough from the list"],
    }
    # Another organisation may use the same name.
    team_create(actor=world.system_admin, organisation=world.centre, name="Hub")


def test_an_unchanged_team_update_writes_no_audit_event(world):
    team = team_create(actor=world.org_admin, organisation=world.force, name="Hub")
    team_update(actor=world.org_admin, team=team, name="Hub", borough_code="", is_active=True)
    assert not AuditEvent.objects.filter(action="team.update").exists()


# ---- users --------------------------------------------------------------------------------


def test_an_org_admin_adds_a_user_to_their_organisation(world):
    team = TeamFactory(organisation=world.force, name="Hate Crime Hub")
    user = user_create(
        actor=world.org_admin, organisation=world.force, username="new.officer", role=Role.OFFICER,
        password=NEW_PASSWORD, first_name="Nia", last_name="Jones", email="nia@example.org", team=team,
    )
    user.refresh_from_db()
    assert (user.organisation, user.team, user.role, user.is_active) == (world.force, team, Role.OFFICER, True)
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.create")
    assert event.changes["role"] == Role.OFFICER and event.changes["password"] == "set"
    assert NEW_PASSWORD not in str(event.changes)


def test_a_user_whose_audit_event_cannot_be_written_is_not_added(world, monkeypatch):
    """The account and its audit event are one write: no account exists without its event."""
    from umbrella.administration import services

    def refuse(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services, "audit_event_write", refuse)
    with pytest.raises(RuntimeError):
        user_create(actor=world.org_admin, organisation=world.force, username="half.made", role=Role.OFFICER,
                    password=NEW_PASSWORD)
    assert not User.objects.filter(username="half.made").exists()


@pytest.mark.parametrize(
    ("kind_attr", "role", "allowed"),
    [
        ("force", Role.OFFICER, True),
        ("force", Role.HUB_REVIEWER, True),
        ("force", Role.PARTNER_CASEWORKER, False),
        ("force", Role.SCRUTINY_MEMBER, False),
        ("centre", Role.PARTNER_CASEWORKER, True),
        ("centre", Role.OFFICER, False),
        ("centre", Role.ANALYST, False),
        ("scrutiny_body", Role.SCRUTINY_MEMBER, True),
        ("scrutiny_body", Role.PARTNER_CASEWORKER, False),
        ("scrutiny_body", Role.ANALYST, False),
        ("centre", Role.SYSTEM_ADMIN, False),
    ],
)
def test_a_role_must_suit_the_kind_of_organisation(world, kind_attr, role, allowed):
    organisation = getattr(world, kind_attr)
    kwargs = {"actor": world.system_admin, "organisation": organisation, "username": "someone", "role": role, "password": NEW_PASSWORD}
    if allowed:
        assert user_create(**kwargs).role == role
    else:
        with pytest.raises(ValidationError) as excinfo:
            user_create(**kwargs)
        assert "is not a role in a" in _errors(excinfo)["role"][0]
        assert not User.objects.filter(username="someone").exists()


def test_an_org_admin_cannot_add_users_elsewhere_or_make_system_admins(world):
    with pytest.raises(PermissionDenied):
        user_create(actor=world.org_admin, organisation=world.centre, username="x", role=Role.PARTNER_CASEWORKER, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        user_create(actor=world.org_admin, organisation=None, username="x", role=Role.SYSTEM_ADMIN, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        user_create(actor=world.org_admin, organisation=world.force, username="x", role=Role.SYSTEM_ADMIN, password=NEW_PASSWORD)
    assert not User.objects.filter(username="x").exists()


def test_a_system_admin_can_add_another_system_admin_without_an_organisation(world):
    admin = user_create(actor=world.system_admin, organisation=None, username="admin2", role=Role.SYSTEM_ADMIN, password=NEW_PASSWORD)
    assert admin.organisation is None and admin.role == Role.SYSTEM_ADMIN
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=world.system_admin, organisation=None, username="admin3", role=Role.OFFICER, password=NEW_PASSWORD)
    assert _errors(excinfo)["role"] == ["A user without an organisation can only be a system administrator"]


def test_it_rejects_a_taken_username_a_weak_password_and_a_team_from_elsewhere(world):
    other_team = TeamFactory(organisation=world.centre, name="Outreach")
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=world.org_admin, organisation=world.force, username="OFFICER", role=Role.OFFICER, password="short", team=other_team)
    errors = _errors(excinfo)
    assert errors["username"] == ["This username is already taken"]
    assert "too short" in errors["password"][0]
    assert errors["team"] == ["Select a team in the user's organisation"]
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_it_updates_role_team_and_active_with_a_before_and_after_audit(world):
    team = TeamFactory(organisation=world.force, name="Investigations")
    user_update(actor=world.org_admin, user=world.officer, role=Role.INVESTIGATOR, team=team, is_active=False)
    world.officer.refresh_from_db()
    assert (world.officer.role, world.officer.team, world.officer.is_active) == (Role.INVESTIGATOR, team, False)
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes == {
        "role": {"from": "officer", "to": "investigator"},
        "team_id": {"from": None, "to": team.pk},
        "is_active": {"from": True, "to": False},
    }


def test_a_deactivated_user_can_no_longer_sign_in(world, client):
    user_update(actor=world.org_admin, user=world.officer, role=Role.OFFICER, team=None, is_active=False)
    assert not client.login(username="officer", password=TEST_PASSWORD)


def test_an_admin_cannot_lock_themselves_out_of_administration(world):
    with pytest.raises(ValidationError) as excinfo:
        user_update(actor=world.org_admin, user=world.org_admin, role=Role.OFFICER, team=None, is_active=False)
    assert _errors(excinfo) == {
        "is_active": ["You cannot deactivate your own account"],
        "role": ["You cannot change your own role"],
    }
    world.org_admin.refresh_from_db()
    assert world.org_admin.is_active and world.org_admin.role == Role.ORG_ADMIN


def test_an_org_admin_cannot_update_users_of_another_organisation(world):
    for target in (world.caseworker, world.system_admin, world.outsider):
        with pytest.raises(PermissionDenied):
            user_update(actor=world.org_admin, user=target, role=Role.OFFICER, team=None, is_active=False)
        with pytest.raises(PermissionDenied):
            user_unlock(actor=world.org_admin, user=target)
        with pytest.raises(PermissionDenied):
            user_set_password(actor=world.org_admin, user=target, password=NEW_PASSWORD)
    world.caseworker.refresh_from_db()
    assert world.caseworker.is_active


def test_it_unlocks_a_locked_out_user(world):
    User.objects.filter(pk=world.officer.pk).update(locked_until=timezone.now() + timedelta(minutes=10), failed_sign_in_count=3)
    user_unlock(actor=world.org_admin, user=world.officer)
    world.officer.refresh_from_db()
    assert world.officer.locked_until is None and world.officer.failed_sign_in_count == 0
    event = AuditEvent.objects.get(action="user.unlock")
    assert event.changes["failed_sign_in_count"] == {"from": 3, "to": 0}


def test_it_sets_a_password_after_validating_it_and_never_audits_it(world):
    with pytest.raises(ValidationError) as excinfo:
        user_set_password(actor=world.org_admin, user=world.officer, password="password")
    assert "password" in _errors(excinfo)
    world.officer.refresh_from_db()
    assert world.officer.check_password(TEST_PASSWORD)
    user_set_password(actor=world.org_admin, user=world.officer, password=NEW_PASSWORD)
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_set")
    assert event.changes == {"password": "changed"}


def test_administering_an_organisation_gives_no_access_to_its_records(world):
    make_record(actor=world.officer)
    assert Record.objects.visible_to(world.org_admin).count() == 0
    promoted = user_create(actor=world.system_admin, organisation=world.centre, username="centre.admin", role=Role.ORG_ADMIN, password=NEW_PASSWORD)
    make_record(actor=world.caseworker)
    assert Record.objects.visible_to(promoted).count() == 0
