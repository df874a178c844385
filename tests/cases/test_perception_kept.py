"""A perceived strand stays on the record: removal only for a strand entered in error, by the person
who added it or a supervisor, with a reason; disagreement is an evidential assessment beside it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import UserFactory, make_record, strand
from umbrella.accounts.models import Role
from umbrella.audit.models import AuditEvent
from umbrella.audit.values import keyed_value
from umbrella.cases import actions as record_actions
from umbrella.cases.services import record_add_strand, record_remove_strand, strand_assess


def _two_strands(world: World):  # type: ignore[no-untyped-def]
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion")])
    return record, record.strands.get(strand__code="religion")


def test_the_person_who_added_a_strand_removes_it_with_a_reason(world: World) -> None:
    record, religion = _two_strands(world)
    with pytest.raises(ValidationError) as refused:
        record_remove_strand(actor=world.officer, record=record, strand_id=religion.pk, reason=" ")
    assert set(refused.value.message_dict) == {"reason"}
    record_remove_strand(actor=world.officer, record=record, strand_id=religion.pk, reason="Wrong record")
    assert list(record.strands.values_list("strand__code", flat=True)) == ["race"]
    event = AuditEvent.objects.get(action=record_actions.RECORD_STRAND_REMOVE, record_id=record.pk)
    assert event.changes["reason"] == keyed_value("Wrong record") and event.changes["strand"]["strand"] == "religion"


@pytest.mark.parametrize("who", ["colleague", "hub_reviewer"])
def test_nobody_else_below_supervisor_removes_a_perceived_strand(world: World, who: str) -> None:
    record, religion = _two_strands(world)
    actor = world.hub_reviewer if who == "hub_reviewer" else UserFactory(
        username="colleague", organisation=world.force, role=Role.OFFICER
    )
    with pytest.raises(PermissionDenied, match="evidential assessment"):
        record_remove_strand(actor=actor, record=record, strand_id=religion.pk, reason="I disagree")
    assert record.strands.count() == 2
    assert not AuditEvent.objects.filter(action=record_actions.RECORD_STRAND_REMOVE).exists()


def test_a_supervisor_removes_a_strand_entered_in_error(world: World) -> None:
    record, religion = _two_strands(world)
    record_remove_strand(actor=world.supervisor, record=record, strand_id=religion.pk, reason="Duplicate entry")
    assert record.strands.count() == 1


def test_a_strand_added_later_belongs_to_whoever_added_it(world: World) -> None:
    record = make_record(actor=world.officer)
    added = record_add_strand(actor=world.supervisor, record=record, strand=strand("disability"))
    assert added.added_by == world.supervisor
    with pytest.raises(PermissionDenied):
        record_remove_strand(actor=world.officer, record=record, strand_id=added.pk, reason="Not mine")


def test_only_reviewers_and_supervisors_assess(world: World) -> None:
    record = make_record(actor=world.officer)
    race = record.strands.get()
    with pytest.raises(PermissionDenied):
        strand_assess(actor=world.officer, record=record, strand_id=race.pk, assessment="supported", reason="CCTV")
    strand_assess(actor=world.supervisor, record=record, strand_id=race.pk, assessment="supported", reason="CCTV")
    with pytest.raises(ValidationError) as refused:
        strand_assess(actor=world.supervisor, record=record, strand_id=race.pk, assessment="maybe", reason="x")
    assert set(refused.value.message_dict) == {"assessment"}


def _page(user, url: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_record_page_shows_the_assessment_and_offers_removal_only_to_who_may(world: World) -> None:
    record, religion = _two_strands(world)
    strand_assess(actor=world.supervisor, record=record, strand_id=religion.pk, assessment="not_supported",
                  reason="No words about faith on the CCTV")
    url = reverse("cases:record-detail", args=[record.pk])
    remove_url = reverse("cases:record-remove-strand", args=[record.pk, religion.pk])
    officer_page = _page(world.officer, url)
    assert "<strong>Not supported by the evidence</strong>" in officer_page
    assert "No words about faith on the CCTV" in officer_page
    assert "Evidential assessment: not yet assessed" in officer_page  # race
    assert remove_url in officer_page
    assert remove_url not in _page(world.hub_reviewer, url)
    colleague = UserFactory(username="colleague", organisation=world.force, role=Role.OFFICER)
    assert remove_url not in _page(colleague, url)
    client = Client()
    client.force_login(colleague)
    assert client.get(remove_url).status_code == 403
    assert client.post(remove_url, {"reason": "I disagree"}).status_code == 403
    assert record.strands.count() == 2
    timeline = _page(world.officer, url)
    assert f"Evidential assessment of {religion.strand.label}: not supported by the evidence. By" in timeline
