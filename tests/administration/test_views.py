from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, TeamFactory
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation, Team
from umbrella.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def as_user(client):
    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


def test_an_org_admin_sees_the_users_and_teams_of_their_organisation_only(world, as_user):
    TeamFactory(organisation=world.force, name="Hate Crime Hub")
    TeamFactory(organisation=world.centre, name="Outreach")
    page = as_user(world.org_admin).get(reverse("administration:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Metropolitan Police Service" in html and "Hate Crime Hub" in html
    assert "hub.reviewer" in html and "officer" in html
    assert "caseworker" not in html and "Outreach" not in html and "sysadmin" not in html


def test_a_system_admin_sees_every_organisation_and_the_system_admins(world, as_user):
    html = as_user(world.system_admin).get(reverse("administration:home")).content.decode()
    for organisation in Organisation.objects.all():
        assert organisation.name in html
    assert "sysadmin" in html
    page = as_user(world.system_admin).get(reverse("administration:organisation", kwargs={"organisation_id": world.centre.pk}))
    assert page.status_code == 200 and "caseworker" in page.content.decode()


@pytest.mark.parametrize("persona", ["officer", "supervisor", "caseworker", "scrutiny_member", "analyst"])
def test_people_who_administer_nothing_get_404(world, as_user, persona):
    client = as_user(getattr(world, persona))
    assert client.get(reverse("administration:home")).status_code == 404
    assert client.get(reverse("administration:user-edit", kwargs={"user_id": world.officer.pk})).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("administration:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))


def test_an_org_admin_gets_404_for_anything_outside_their_organisation(world, as_user):
    client = as_user(world.org_admin)
    other_team = TeamFactory(organisation=world.centre, name="Outreach")
    for url in (
        reverse("administration:organisation", kwargs={"organisation_id": world.centre.pk}),
        reverse("administration:user-add", kwargs={"organisation_id": world.centre.pk}),
        reverse("administration:team-add", kwargs={"organisation_id": world.centre.pk}),
        reverse("administration:user-edit", kwargs={"user_id": world.caseworker.pk}),
        reverse("administration:user-edit", kwargs={"user_id": world.system_admin.pk}),
        reverse("administration:user-unlock", kwargs={"user_id": world.caseworker.pk}),
        reverse("administration:user-password", kwargs={"user_id": world.outsider.pk}),
        reverse("administration:team-edit", kwargs={"team_id": other_team.pk}),
        reverse("administration:organisation-add"),
        reverse("administration:system-admin-add"),
    ):
        assert client.get(url).status_code == 404, url
        if "/organisations/" in url and url.endswith(f"{world.centre.pk}/"):
            continue  # the organisation page only answers GET
        assert client.post(url, {"name": "x", "role": Role.OFFICER, "is_active": ""}).status_code == 404, url
    world.caseworker.refresh_from_db()
    assert world.caseworker.is_active
    assert not Team.objects.filter(name="x").exists()


def test_an_org_admin_adds_a_user_through_the_page(world, as_user):
    team = TeamFactory(organisation=world.force, name="Hate Crime Hub")
    url = reverse("administration:user-add", kwargs={"organisation_id": world.force.pk})
    page = as_user(world.org_admin).get(url)
    html = page.content.decode()
    # Only roles that exist in a police force are offered.
    assert 'value="officer"' in html and 'value="partner_caseworker"' not in html and 'value="system_admin"' not in html
    response = as_user(world.org_admin).post(
        url,
        {"username": "pc.new", "first_name": "Pat", "last_name": "New", "email": "", "role": Role.OFFICER, "team": team.pk, "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    created = User.objects.get(username="pc.new")
    assert created.organisation == world.force and created.team == team and created.check_password(NEW_PASSWORD)
    assert "pc.new has been added" in as_user(world.org_admin).get(response["Location"]).content.decode()


def test_a_bad_new_user_shows_an_error_summary_and_saves_nothing(world, as_user):
    url = reverse("administration:user-add", kwargs={"organisation_id": world.force.pk})
    response = as_user(world.org_admin).post(
        url, {"username": "officer", "role": Role.OFFICER, "password": "short"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "This username is already taken" in html
    assert 'href="#id_username"' in html and 'href="#id_password"' in html
    assert "govuk-input--error" in html
    assert User.objects.filter(username__iexact="officer").count() == 1
    # A role from another kind of organisation is not even a choice.
    response = as_user(world.org_admin).post(url, {"username": "x", "role": Role.PARTNER_CASEWORKER, "password": NEW_PASSWORD})
    assert "Select a role from the list" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_an_org_admin_changes_a_users_role_team_and_status(world, as_user):
    team = TeamFactory(organisation=world.force, name="Investigations")
    url = reverse("administration:user-edit", kwargs={"user_id": world.officer.pk})
    assert as_user(world.org_admin).get(url).status_code == 200
    response = as_user(world.org_admin).post(url, {"role": Role.INVESTIGATOR, "team": team.pk})
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert (world.officer.role, world.officer.team, world.officer.is_active) == (Role.INVESTIGATOR, team, False)


def test_an_admin_cannot_deactivate_themselves_through_the_page(world, as_user):
    url = reverse("administration:user-edit", kwargs={"user_id": world.org_admin.pk})
    response = as_user(world.org_admin).post(url, {"role": Role.ORG_ADMIN})
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    world.org_admin.refresh_from_db()
    assert world.org_admin.is_active


def test_an_org_admin_unlocks_a_locked_user(world, as_user, client):
    User.objects.filter(pk=world.officer.pk).update(locked_until=timezone.now() + timedelta(minutes=10))
    url = reverse("administration:user-unlock", kwargs={"user_id": world.officer.pk})
    page = as_user(world.org_admin).get(url)
    assert page.status_code == 200 and "locked after repeated failed sign-in attempts" in page.content.decode()
    assert as_user(world.org_admin).post(url).status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.locked_until is None
    assert AuditEvent.objects.filter(action="user.unlock", target_id=str(world.officer.pk)).exists()
    client.logout()
    response = client.post(reverse("accounts:sign-in"), {"username": "officer", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_an_org_admin_sets_a_password(world, as_user):
    url = reverse("administration:user-password", kwargs={"user_id": world.officer.pk})
    response = as_user(world.org_admin).post(url, {"password": "12345"})
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert as_user(world.org_admin).post(url, {"password": NEW_PASSWORD}).status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW_PASSWORD)


def test_an_org_admin_adds_and_closes_a_team(world, as_user):
    response = as_user(world.org_admin).post(
        reverse("administration:team-add", kwargs={"organisation_id": world.force.pk}), {"name": "Hub", "borough_code": ""}
    )
    assert response.status_code == 302
    team = Team.objects.get(organisation=world.force, name="Hub")
    duplicate = as_user(world.org_admin).post(
        reverse("administration:team-add", kwargs={"organisation_id": world.force.pk}), {"name": "hub"}
    )
    assert "This organisation already has a team with this name" in duplicate.content.decode()
    response = as_user(world.org_admin).post(reverse("administration:team-edit", kwargs={"team_id": team.pk}), {"name": "Hub"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert not team.is_active


def test_a_system_admin_adds_an_organisation(world, as_user):
    url = reverse("administration:organisation-add")
    assert as_user(world.system_admin).get(url).status_code == 200
    bad = as_user(world.system_admin).post(url, {"name": "X", "slug": "x", "kind": "police_force", "reference_prefix": "MPS"})
    assert "Another organisation already uses this reference prefix" in bad.content.decode()
    response = as_user(world.system_admin).post(
        url, {"name": "Galop", "slug": "galop", "kind": "victim_service", "reference_prefix": "GAL"}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="galop")
    assert response["Location"] == reverse("administration:organisation", kwargs={"organisation_id": organisation.pk})
    assert organisation.keys.filter(is_active=True).count() == 1


def test_a_system_admin_adds_another_system_admin(world, as_user):
    url = reverse("administration:system-admin-add")
    html = as_user(world.system_admin).get(url).content.decode()
    assert 'value="system_admin"' in html and 'value="officer"' not in html
    response = as_user(world.system_admin).post(url, {"username": "admin2", "role": Role.SYSTEM_ADMIN, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(username="admin2").organisation is None


def test_the_admin_pages_use_the_layout_and_the_one_form_kit(world, as_user):
    """One <main> (the layout's), labels, hints and error messages linked as on every other page."""
    from tests.web import markup

    client = as_user(world.org_admin)
    pages = [
        reverse("administration:home"),
        reverse("administration:user-add", kwargs={"organisation_id": world.force.pk}),
        reverse("administration:user-edit", kwargs={"user_id": world.officer.pk}),
        reverse("administration:user-password", kwargs={"user_id": world.officer.pk}),
        reverse("administration:team-add", kwargs={"organisation_id": world.force.pk}),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200 and markup.problems(page.content.decode()) == [], url
        if url != pages[0]:
            refused = client.post(url, {"password": "short"})
            assert refused.status_code == 400, url
            assert markup.problems(refused.content.decode()) == [], url
