"""An organisation's administrator requires two-factor sign-in of every account from /manage/."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_an_administrator_requires_two_factor_of_every_account(world: World) -> None:
    client = Client()
    client.force_login(world.org_admin)
    page = client.get("/manage/").content.decode()
    assert "required of administrators; other accounts may set it up" in page
    address = f"/manage/organisations/{world.force.pk}/two-factor/"
    assert "Require it of every account" in client.get(address).content.decode()
    refused = client.post(address, {})
    assert refused.status_code == 400 and "Choose whether to require two-factor sign-in" in refused.content.decode()
    assert client.post(address, {"required": "yes"}).status_code == 302
    world.force.refresh_from_db()
    assert world.force.requires_two_factor
    # Required of the administrator too: without an app, they are taken to set one up.
    assert client.get("/manage/")["Location"] == "/accounts/two-factor/set-up/"
    system = Client()
    system.force_login(world.system_admin)
    assert "required of every account" in system.get(f"/manage/organisations/{world.force.pk}/").content.decode()
    assert system.post(address, {"required": "no"}).status_code == 302
    world.force.refresh_from_db()
    assert not world.force.requires_two_factor


def test_another_organisations_setting_is_not_found(world: World) -> None:
    client = Client()
    client.force_login(world.org_admin)
    assert client.get(f"/manage/organisations/{world.centre.pk}/two-factor/").status_code == 404
    assert client.post(f"/manage/organisations/{world.centre.pk}/two-factor/", {"required": "yes"}).status_code == 404
