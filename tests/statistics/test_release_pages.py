"""The open data release pages: an analyst prepares, a supervisor publishes, others are told no."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.statistics.test_facts import committed, london  # noqa: F401  (the same small London)
from umbrella.statistics.forms import months_back
from umbrella.statistics.models import OpenDataRelease


def test_an_analyst_prepares_and_a_supervisor_publishes(world: World, london: dict[str, Any], client: Client) -> None:  # noqa: F811
    last = months_back(timezone.localdate().replace(day=1), 2)
    client.force_login(world.analyst)
    assert "Open data releases" in client.get("/statistics/").content.decode()
    assert "Prepare a release" in client.get("/statistics/releases/").content.decode()
    response = client.post("/statistics/releases/new/", {"first_month": f"{months_back(last, 12):%Y-%m}",
                                                          "last_month": f"{last:%Y-%m}"}, follow=True)
    assert "Release 1 prepared: the disclosure audit passed" in response.content.decode()
    assert client.post("/statistics/releases/1/publish/").status_code == 403
    client.force_login(world.supervisor)
    page = client.get("/statistics/releases/").content.decode()
    assert "Publish release 1" in page
    done = client.post("/statistics/releases/1/publish/", follow=True).content.decode()
    assert "Release 1 published on /open-data/" in done
    assert OpenDataRelease.objects.get(number=1).status == "published"
    again = client.post("/statistics/releases/1/publish/", follow=True).content.decode()
    assert "Release 1 is published" in again


def test_bad_months_are_explained_and_nothing_is_prepared(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    this_month = f"{timezone.localdate():%Y-%m}"
    response = client.post("/statistics/releases/new/", {"first_month": "2026-13", "last_month": this_month})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "Enter the month as a year and month" in text
    response = client.post("/statistics/releases/new/", {"first_month": this_month, "last_month": this_month})
    assert response.status_code == 400 and "the last month must have ended" in response.content.decode()
    assert not OpenDataRelease.objects.exists()


def test_other_roles_are_told_they_do_not_handle_releases(world: World, client: Client) -> None:
    client.force_login(world.officer)
    assert client.get("/statistics/releases/").status_code == 403
    client.force_login(world.scrutiny_member)
    assert client.get("/statistics/releases/").status_code == 403
    assert client.get("/statistics/releases/new/").status_code == 403
