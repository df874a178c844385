"""Model list and model card pages, and the approve / reject / roll back buttons."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.screening.factories import register
from umbrella.screening.models import ModelStatus

pytestmark = pytest.mark.django_db

ATRS_HEADINGS = ("Version and status", "Owner and contact", "Purpose", "Data", "Performance", "Limitations",
                 "Human oversight", "Risks and mitigations")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_model_card_shows_the_transparency_standard_fields(world: World) -> None:
    model = register()
    page = client_for(world.hub_reviewer).get(reverse("screening:model-card", kwargs={"model_id": model.pk})).content.decode()
    for heading in ATRS_HEADINGS:
        assert heading in page
    assert model.version in page and model.artefact_sha256 in page
    assert "False positive rate for 'hate' by victim ethnicity group" in page
    assert "On live decisions" in page and "By the victim&#x27;s ethnicity" in page  # from reviewers' decisions
    assert "Approve this model" not in page  # reviewers read; they do not decide


def test_a_supervisor_approves_from_the_card(world: World) -> None:
    model = register()
    client = client_for(world.supervisor)
    card = reverse("screening:model-card", kwargs={"model_id": model.pk})
    assert "Approve this model" in client.get(card).content.decode()
    response = client.post(reverse("screening:model-approve", kwargs={"model_id": model.pk}), follow=True)
    model.refresh_from_db()
    assert model.status == ModelStatus.APPROVED
    assert "now screens live data" in response.content.decode()


def test_rollback_button_restores_the_previous_model(world: World) -> None:
    first = register(approve=True)
    register(approve=True)
    client = client_for(world.system_admin)
    assert "Roll back" in client.get(reverse("screening:model-list")).content.decode()
    client.post(reverse("screening:model-rollback"))
    first.refresh_from_db()
    assert first.status == ModelStatus.APPROVED


def test_an_analyst_may_read_but_not_approve(world: World) -> None:
    model = register()
    client = client_for(world.analyst)
    assert client.get(reverse("screening:model-list")).status_code == 200
    assert client.post(reverse("screening:model-approve", kwargs={"model_id": model.pk})).status_code == 403
    model.refresh_from_db()
    assert model.status == ModelStatus.CANDIDATE


def test_model_list_query_count(world: World, django_assert_max_num_queries: Any) -> None:
    for _ in range(5):
        register()
    client = client_for(world.supervisor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("screening:model-list")).content.decode()
    assert page.count("model card") == 5


def test_navigation_entry_for_viewers_only(world: World) -> None:
    assert "Screening models" in client_for(world.hub_reviewer).get(reverse("screening:model-list")).content.decode()
    home = client_for(world.officer).get("/").content.decode()
    assert "Screening models" not in home
