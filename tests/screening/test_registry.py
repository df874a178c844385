"""The registry: only the approved model screens; approving retires; rollback; integrity on load."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import World
from tests.factories import make_record
from tests.screening.factories import HATEFUL_OTHER_CRIME, register
from umbrella.audit.models import AuditEvent
from umbrella.review.models import Suggestion
from umbrella.screening import selectors
from umbrella.screening.model import ArtefactIntegrityError
from umbrella.screening.models import ModelStatus, ScreeningModel
from umbrella.screening.records import screen_record_by_id
from umbrella.screening.services import model_approve, model_reject, model_rollback

pytestmark = pytest.mark.django_db


def test_versions_are_numbered_in_order() -> None:
    assert [register().version, register().version] == ["v1", "v2"]


def test_a_candidate_does_not_screen_live_data(world: World) -> None:
    register()
    record = make_record(actor=world.officer, kind="other_crime", narrative=HATEFUL_OTHER_CRIME, strands=[])
    assert selectors.active_model() is None
    assert screen_record_by_id(record.pk).records == 0
    assert not Suggestion.objects.filter(record=record).exists()


def test_the_approved_model_screens_live_data(world: World) -> None:
    model = register(approve=True)
    record = make_record(actor=world.officer, kind="other_crime", narrative=HATEFUL_OTHER_CRIME, strands=[])
    counts = screen_record_by_id(record.pk)
    assert counts.unflagged_hate == 1
    suggestion = Suggestion.objects.get(record=record, kind="unflagged_hate")
    assert suggestion.source_version == model.version


def test_approving_retires_the_previous_model(world: World) -> None:
    first = register(approve=True)
    second = register()
    model_approve(actor=world.supervisor, model=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ModelStatus.RETIRED, ModelStatus.APPROVED)
    assert second.approved_by == world.supervisor and second.replaced == first
    assert ScreeningModel.objects.filter(status=ModelStatus.APPROVED).count() == 1
    assert AuditEvent.objects.filter(action="screening.model_approve", target_id=str(second.pk)).exists()


def test_rollback_reapproves_the_previous_model_in_one_action(world: World) -> None:
    first = register(approve=True)
    second = register(approve=True)
    restored = model_rollback(actor=world.system_admin)
    second.refresh_from_db()
    assert restored == first and restored.status == ModelStatus.APPROVED
    assert second.status == ModelStatus.RETIRED
    assert selectors.active_model().version == first.version  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="screening.model_rollback").exists()


def test_rollback_with_nothing_to_go_back_to_is_refused(world: World) -> None:
    register(approve=True)
    with pytest.raises(ValidationError):
        model_rollback(actor=world.supervisor)


def test_reject_a_candidate_and_it_can_no_longer_be_approved(world: World) -> None:
    candidate = register()
    model_reject(actor=world.supervisor, model=candidate, note="Recall too low for disability")
    candidate.refresh_from_db()
    assert candidate.status == ModelStatus.REJECTED and "Recall too low" in candidate.notes
    with pytest.raises(ValidationError):
        model_approve(actor=world.supervisor, model=candidate)


def test_only_approvers_decide(world: World) -> None:
    candidate = register()
    for persona in (world.hub_reviewer, world.analyst, world.officer):
        with pytest.raises(PermissionDenied):
            model_approve(actor=persona, model=candidate)
    candidate.refresh_from_db()
    assert candidate.status == ModelStatus.CANDIDATE


def test_a_tampered_artefact_refuses_to_load() -> None:
    model = register(approve=True)
    selectors.clear_cache()
    data = bytes(ScreeningModel.objects.values_list("artefact", flat=True).get(pk=model.pk))
    ScreeningModel.objects.filter(pk=model.pk).update(artefact=data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(ArtefactIntegrityError):
        selectors.active_model()
    selectors.clear_cache()
