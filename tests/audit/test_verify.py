"""Tampering with the audit table is detected: edited, deleted and reordered events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.conftest import World
from tests.factories import make_record
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal
from umbrella.audit.services import audit_event_write
from umbrella.audit.testing import audit_events_bulk_create
from umbrella.audit.verify import CONTENT_CHANGED, LINK_BROKEN, audit_chain_verify
from umbrella.cases import actions as record_actions
from umbrella.cases.selectors import record_detail
from umbrella.core.context import request_context

_CONTENT_FIELDS = (
    "occurred_at", "actor_id", "actor_display", "organisation_id_snapshot", "action", "target_type",
    "target_id", "target_label", "record_id", "changes", "request_id", "ip_address",
)


@contextmanager
def as_a_dba_with_the_trigger_off() -> Iterator[None]:
    """What someone with direct database access could do: switch the append-only trigger off."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            # The test's transaction holds deferred foreign-key checks; ALTER TABLE needs none pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def chain(world: Any) -> list[AuditEvent]:
    with request_context(request_id="req-1", ip_address="2001:0db8:0000::0001"):
        record = make_record(actor=world.officer)
        record_detail(user=world.officer, record_id=record.pk)
    with request_context(request_id="req-2", ip_address="192.0.2.7"):
        audit_event_write(
            actor=world.supervisor, action=actions.AUDIT_SEARCH,
            changes={"filters": ("reference", "action"), 3: {"nested": [1.5, None, True]}},
        )
        record_detail(user=world.officer, record_id=record.pk)
    audit_events_bulk_create(20, actor_id=world.officer.pk, organisation_id=world.force.pk)
    chain = list(AuditEvent.objects.order_by("id"))
    # The helper chained the events written before it first, so the chain's order is the ids'.
    assert [event.chain_position for event in chain] == list(range(1, len(chain) + 1))
    return chain


def test_it_verifies_an_untouched_chain_including_ipv6_addresses_and_tuples(chain: list[AuditEvent]) -> None:
    result = audit_chain_verify(chunk_size=7)
    assert result.ok
    assert result.checked == len(chain) >= 24


def test_it_reports_ok_with_the_count_from_the_command(chain: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"OK: {len(chain)} audit events verified" in out.getvalue()


def test_it_detects_an_edited_event(chain: list[AuditEvent]) -> None:
    victim_view = next(e for e in chain if e.action == record_actions.RECORD_VIEW)
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=victim_view.pk).update(actor_display="someone.else")
    result = audit_chain_verify()
    assert result.broken is not None
    assert (result.broken.id, result.broken.action, result.broken.why) == (
        victim_view.pk, record_actions.RECORD_VIEW, CONTENT_CHANGED
    )
    assert result.checked == chain.index(victim_view)


def test_it_detects_an_edited_changes_value(chain: list[AuditEvent]) -> None:
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=chain[10].pk).update(changes={"access": "none"})
    result = audit_chain_verify()
    assert result.broken is not None and result.broken.id == chain[10].pk
    assert result.broken.why == CONTENT_CHANGED


def test_it_detects_a_deleted_event_at_the_one_after_it(chain: list[AuditEvent]) -> None:
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=chain[5].pk).delete()
    result = audit_chain_verify()
    assert result.broken is not None
    assert (result.broken.id, result.broken.why) == (chain[6].pk, LINK_BROKEN)


def test_it_detects_deleting_the_first_event(chain: list[AuditEvent]) -> None:
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
    result = audit_chain_verify()
    assert result.broken is not None and result.broken.id == chain[1].pk


def test_it_detects_two_rows_whose_whole_content_was_swapped(chain: list[AuditEvent]) -> None:
    first, second = chain[3], chain[8]
    columns = (*_CONTENT_FIELDS, "previous_hash", "hash")
    a = AuditEvent.objects.filter(pk=first.pk).values(*columns).get()
    b = AuditEvent.objects.filter(pk=second.pk).values(*columns).get()
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=first.pk).update(hash="swapping")  # hash is unique
        AuditEvent.objects.filter(pk=second.pk).update(**a)
        AuditEvent.objects.filter(pk=first.pk).update(**b)
    result = audit_chain_verify()
    assert result.broken is not None
    assert (result.broken.id, result.broken.why) == (first.pk, LINK_BROKEN)


def test_it_detects_two_rows_whose_content_but_not_hashes_was_swapped(chain: list[AuditEvent]) -> None:
    first, second = chain[12], chain[13]
    a = AuditEvent.objects.filter(pk=first.pk).values(*_CONTENT_FIELDS).get()
    b = AuditEvent.objects.filter(pk=second.pk).values(*_CONTENT_FIELDS).get()
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=first.pk).update(**b)
        AuditEvent.objects.filter(pk=second.pk).update(**a)
    result = audit_chain_verify()
    assert result.broken is not None
    assert (result.broken.id, result.broken.why) == (first.pk, CONTENT_CHANGED)


def test_it_exits_non_zero_naming_the_broken_event(chain: list[AuditEvent]) -> None:
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=chain[2].pk).update(target_label="XXX-2026-000001")
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", stdout=StringIO())
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert f"event {chain[2].pk}" in message and chain[2].action in message
    assert "content changed" in message


def test_it_verifies_an_empty_table(db: None) -> None:
    result = audit_chain_verify()
    assert result.ok and result.checked == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists only on PostgreSQL")
def test_it_refuses_update_delete_and_truncate_on_postgresql(chain: list[AuditEvent]) -> None:
    statements = (
        "UPDATE audit_auditevent SET actor_display = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    )
    with connection.cursor() as cursor:
        # The test's transaction holds deferred foreign-key checks, which TRUNCATE would trip over
        # before the trigger had its say.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[1].pk).update(changes={"access": "none"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[-1].pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert AuditEvent.objects.count() == len(chain)
    assert audit_chain_verify().ok


def test_events_written_many_at_once_chain_onto_the_end_and_verify(chain: list[AuditEvent]) -> None:
    from umbrella.audit.services import PendingEvent, audit_events_write_many

    with request_context(request_id="bulk-1", ip_address="2001:db8::1"):
        count = audit_events_write_many(
            actor=None,
            events=[PendingEvent(action=record_actions.RECORD_CREATE, target_id=str(n), changes={"n": (n, n)}) for n in range(3)],
        )
    assert audit_chain_seal() == 3
    written = list(AuditEvent.objects.order_by("-id")[:3])[::-1]
    assert count == 3 and [event.target_id for event in written] == ["0", "1", "2"]
    assert written[0].request_id == "bulk-1" and written[0].ip_address == "2001:db8::1"
    assert [event.previous_hash for event in written[1:]] == [event.hash for event in written[:-1]]
    assert written[0].previous_hash == chain[-1].hash
    result = audit_chain_verify()
    assert result.ok and result.checked == len(chain) + 3


@pytest.mark.parametrize("number", [-0.0, 1e16, 2.0, -0.1416, 51.5])
def test_numbers_the_database_reshapes_in_json_still_verify(db: None, number: float) -> None:
    # PostgreSQL's jsonb returns -0.0 as 0 and 1e16 as an integer; neither is tampering.
    audit_event_write(actor=None, action=record_actions.RECORD_CREATE, target_id="1", changes={"longitude": number})
    assert audit_chain_verify().ok


def _rewrite_from(chain: list[AuditEvent], start: int, hash_function: Any) -> None:
    """What someone with the database and the project's code could do: delete an event and
    recompute every later hash so the links look whole again."""
    from umbrella.audit.chain import canonical_content
    from umbrella.audit.services import normalised_ip

    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=chain[start].pk).delete()
        previous = chain[start - 1].hash
        for event in AuditEvent.objects.filter(pk__gt=chain[start].pk).order_by("id"):
            content = canonical_content(
                occurred_at=event.occurred_at, actor_id=event.actor_id, actor_display=event.actor_display,
                organisation_id=event.organisation_id_snapshot, action=event.action, target_type=event.target_type,
                target_id=event.target_id, target_label=event.target_label, record_id=event.record_id,
                changes=event.changes, request_id=event.request_id, ip_address=normalised_ip(event.ip_address),
            )
            digest = hash_function(previous, content)
            AuditEvent.objects.filter(pk=event.pk).update(previous_hash=previous, hash=digest)
            previous = digest


def test_a_rewrite_with_the_projects_own_unkeyed_hash_is_detected(chain: list[AuditEvent]) -> None:
    from umbrella.audit.chain import unkeyed_event_hash

    _rewrite_from(chain, 5, unkeyed_event_hash)
    result = audit_chain_verify()
    assert result.broken is not None
    assert (result.broken.id, result.broken.why) == (chain[6].pk, CONTENT_CHANGED)


def test_a_rewrite_with_the_wrong_key_is_detected(chain: list[AuditEvent], settings: Any) -> None:
    from umbrella.audit.chain import event_hash

    settings.UMBRELLA_AUDIT_CHAIN_KEY = "a-guessed-key"
    _rewrite_from(chain, 5, event_hash)
    settings.UMBRELLA_AUDIT_CHAIN_KEY = "test-audit-chain-key"
    result = audit_chain_verify()
    assert result.broken is not None and result.broken.id == chain[6].pk


def test_events_from_before_the_chain_was_keyed_verify_up_to_the_configured_id(world: Any, settings: Any) -> None:
    settings.UMBRELLA_AUDIT_CHAIN_KEY = ""  # an installation from before keying
    audit_event_write(actor=None, action=record_actions.RECORD_CREATE, target_id="1")
    audit_event_write(actor=None, action=record_actions.RECORD_CREATE, target_id="2")
    audit_chain_seal()  # sealed before the key arrived, as they would have been
    legacy = list(AuditEvent.objects.order_by("id"))
    settings.UMBRELLA_AUDIT_CHAIN_KEY = "test-audit-chain-key"
    audit_event_write(actor=None, action=record_actions.RECORD_CREATE, target_id="3")
    assert not audit_chain_verify().ok  # unkeyed hashes are not accepted by default
    settings.UMBRELLA_AUDIT_UNKEYED_UNTIL = legacy[-1].pk
    result = audit_chain_verify()
    assert result.ok and result.checked == 3


def test_events_by_several_actors_written_in_order_give_their_ids_back_and_verify(
    chain: list[AuditEvent], world: World
) -> None:
    from umbrella.audit.services import PendingEvent, audit_events_write_in_order

    actors = [world.officer, None, world.hub_reviewer]
    with request_context(request_id="bulk-2", ip_address="192.0.2.7"):
        ids = audit_events_write_in_order(events=[
            (actor, PendingEvent(action=record_actions.RECORD_STATUS_CHANGE, target_id=str(n), changes={"n": n}))
            for n, actor in enumerate(actors)
        ])
    written = list(AuditEvent.objects.filter(pk__in=ids).order_by("id"))
    assert [event.pk for event in written] == ids == sorted(ids)
    assert [event.actor_display for event in written] == [world.officer.username, "system", world.hub_reviewer.username]
    assert written[2].organisation_id_snapshot == world.hub_reviewer.organisation_id
    assert written[1].request_id == "bulk-2" and written[1].ip_address == "192.0.2.7"
    assert audit_chain_seal() == 3
    result = audit_chain_verify()
    assert result.ok and result.checked == len(chain) + 3
