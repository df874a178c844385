"""The words given for a change (closing, taking a strand off, linking) never enter the audit log:
the event holds their keyed hash, the words are sealed beside it, and the timeline shows them to
readers with full access."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import give_outcome, make_record, strand
from tests.reads import decrypt
from umbrella.audit.models import AuditEvent
from umbrella.audit.values import keyed_value
from umbrella.cases import actions as record_actions
from umbrella.cases.models import CHANGE_REASON_COLUMN, LINK_REASON_COLUMN, ChangeReason, RecordLink
from umbrella.cases.services import record_change_status, record_link, record_remove_strand

WORDS = ("Victim Jane Doe asked us to stop", "Entered on the wrong record", "Same man outside 12 Acacia Avenue")


def _changed(world: World):  # type: ignore[no-untyped-def]
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion")])
    other = make_record(actor=world.officer)
    religion = record.strands.get(strand__code="religion")
    record_remove_strand(actor=world.officer, record=record, strand_id=religion.pk, reason=WORDS[1])
    record_link(actor=world.officer, record=record, other=other, reason=WORDS[2])
    record_change_status(actor=world.officer, record=record, status="under_investigation")
    give_outcome(record, actor=world.officer)
    record_change_status(actor=world.officer, record=record, status="closed", reason=WORDS[0])
    return record


def test_the_log_holds_keyed_hashes_and_the_words_are_sealed_beside_it(world: World) -> None:
    record = _changed(world)
    logged = " ".join(str(changes) for changes in AuditEvent.objects.values_list("changes", flat=True))
    assert not [words for words in WORDS if words in logged]
    closing = AuditEvent.objects.filter(action=record_actions.RECORD_STATUS_CHANGE, record_id=record.pk).latest("id")
    assert closing.changes["reason"] == keyed_value(WORDS[0])  # an investigator with the key can check
    sealed = ChangeReason.objects.get(event_id=closing.pk)
    assert WORDS[0] not in sealed.reason and decrypt(sealed.reason, column=CHANGE_REASON_COLUMN) == WORDS[0]
    # A change without words keeps nothing.
    opening = AuditEvent.objects.filter(action=record_actions.RECORD_STATUS_CHANGE, record_id=record.pk).earliest("id")
    assert opening.changes["reason"] is None and not ChangeReason.objects.filter(event_id=opening.pk).exists()


def test_the_timeline_shows_the_words_to_full_access_only(world: World, client: Client) -> None:
    record = _changed(world)
    url = reverse("cases:record-detail", args=[record.pk])

    client.force_login(world.officer)
    page = client.get(url).content.decode()
    assert f"Reason: {WORDS[0]}" in page and f"Reason: {WORDS[1]}" in page

    client.force_login(world.analyst)
    page = client.get(url).content.decode()
    assert "Jane Doe" not in page and WORDS[1] not in page
    assert "A reason was given" in page


def test_a_link_reason_is_sealed_and_shown_with_full_access_only(world: World, client: Client) -> None:
    record = _changed(world)
    link = RecordLink.objects.get(from_record=record)
    assert WORDS[2] not in link.reason and decrypt(link.reason, column=LINK_REASON_COLUMN) == WORDS[2]
    url = reverse("cases:record-detail", args=[record.pk])
    client.force_login(world.officer)
    assert WORDS[2] in client.get(url).content.decode()
    client.force_login(world.analyst)
    assert "Acacia" not in client.get(url).content.decode()
