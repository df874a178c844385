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


def test_a_supervisor_retrains_and_the_candidate_is_set_beside_the_approved_model(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories import make_record
    from tests.screening.factories import HATEFUL_OTHER_CRIME, PLAIN_OTHER_CRIME
    from umbrella.audit.models import AuditEvent
    from umbrella.screening.models import ScreeningModel

    approved = register(approve=True)
    for _ in range(4):
        make_record(actor=world.officer, kind="hate_crime", narrative=HATEFUL_OTHER_CRIME)
        make_record(actor=world.officer, kind="other_crime", narrative=PLAIN_OTHER_CRIME, strands=[])
    client = client_for(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("screening:model-retrain"), follow=True)
    assert "Retraining has started" in response.content.decode()
    candidate = ScreeningModel.objects.exclude(pk=approved.pk).get()
    assert candidate.status == ModelStatus.CANDIDATE and candidate.trained_by == world.supervisor
    assert ScreeningModel.objects.get(pk=approved.pk).status == ModelStatus.APPROVED  # still screening
    assert AuditEvent.objects.filter(action="screening.model_retrain", actor=world.supervisor).exists()

    page = client.get(reverse("screening:model-card", kwargs={"model_id": candidate.pk})).content.decode()
    assert f"Approved model ({approved.version})" in page


def test_retraining_with_no_records_says_so_and_registers_nothing(world: World) -> None:
    from umbrella.cases.models import Record
    from umbrella.screening.models import ScreeningModel

    Record.objects.all().delete()
    response = client_for(world.supervisor).post(reverse("screening:model-retrain"), follow=True)
    assert "There are no records to train on yet." in response.content.decode()
    assert not ScreeningModel.objects.exists()


def test_a_reviewer_cannot_retrain(world: World) -> None:
    assert client_for(world.hub_reviewer).post(reverse("screening:model-retrain")).status_code == 403
