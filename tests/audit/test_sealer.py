"""Writers append without a global lock; the sealer chains their events in order after commit."""

from __future__ import annotations

from io import StringIO
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.audit.test_verify import as_a_dba_with_the_trigger_off
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal, seal_after_commit
from umbrella.audit.services import PendingEvent, audit_event_write, audit_events_write_many
from umbrella.audit.verify import CONTENT_CHANGED, audit_chain_verify
from umbrella.cases import actions as record_actions


def _write(n: int) -> None:
    audit_event_write(actor=None, action=record_actions.RECORD_CREATE, target_id=str(n), changes={"n": n})


def test_events_are_chained_in_id_order_once_their_transaction_commits(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _write(1)
        _write(2)
        audit_events_write_many(actor=None, events=[PendingEvent(action=record_actions.RECORD_VIEW, target_id="3")])
        # Before commit nothing is chained, and no writer read the chain's end.
        assert not AuditEvent.objects.filter(hash__isnull=False).exists()
    assert len(callbacks) == 1  # one sealing pass per transaction, however many events
    events = list(AuditEvent.objects.order_by("id"))
    assert [event.chain_position for event in events] == [1, 2, 3]
    assert [event.previous_hash for event in events[1:]] == [event.hash for event in events[:-1]]
    result = audit_chain_verify()
    assert result.ok and result.checked == 3 and result.unchained == 0 and result.head == (3, events[-1].hash)


def test_a_later_pass_continues_the_chain_and_small_batches_keep_the_order(db: None) -> None:
    _write(1)
    assert audit_chain_seal() == 1
    for n in range(2, 7):
        _write(n)
    assert audit_chain_seal(batch_size=2) == 5
    assert audit_chain_seal() == 0
    events = list(AuditEvent.objects.order_by("chain_position"))
    assert [event.target_id for event in events] == ["1", "2", "3", "4", "5", "6"]
    assert audit_chain_verify().ok


def test_events_waiting_for_the_sealer_are_verified_by_their_digest(db: None) -> None:
    _write(1)
    audit_chain_seal()
    _write(2)
    _write(3)
    result = audit_chain_verify()
    assert result.ok and result.checked == 3 and result.unchained == 2
    waiting = AuditEvent.objects.get(target_id="3")
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=waiting.pk).update(changes={"n": 30})
    result = audit_chain_verify()
    assert result.broken is not None and (result.broken.id, result.broken.why) == (waiting.pk, CONTENT_CHANGED)


def test_an_event_edited_before_it_was_chained_is_still_detected_after(db: None) -> None:
    _write(1)
    event = AuditEvent.objects.get()
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk=event.pk).update(actor_display="someone else")
    audit_chain_seal()
    result = audit_chain_verify()
    assert result.broken is not None and result.broken.id == event.pk


def test_a_failing_pass_never_reaches_the_request_and_the_next_pass_chains(
    db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _write(1)

    def broken(**_: Any) -> int:
        raise DatabaseError("connection lost")

    monkeypatch.setattr("umbrella.audit.sealer.audit_chain_seal", broken)
    seal_after_commit()
    assert "audit sealing failed" in caplog.text
    assert AuditEvent.objects.get().hash is None
    monkeypatch.undo()
    out = StringIO()
    call_command("audit_seal", stdout=out)
    assert "1 audit events chained." in out.getvalue()
    assert audit_chain_verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock and the trigger are PostgreSQL's")
def test_writers_do_not_wait_for_a_busy_sealer_and_a_second_sealer_leaves_the_work(db: None) -> None:
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
        port=settings["PORT"] or None, password=settings["PASSWORD"] or None, autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(7242001)")  # a sealer at work elsewhere
        with connection.cursor() as cursor:
            # Were a writer to wait for the chain lock, this would raise instead of hanging.
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        _write(1)
        assert audit_chain_seal() == 0  # the busy sealer will chain it
        assert AuditEvent.objects.get().hash is None
    finally:
        # Unlock before closing: a closed connection's locks go only when its server process
        # has finished exiting, which the client does not wait for.
        other.execute("SELECT pg_advisory_unlock(7242001)")
        other.close()
    assert audit_chain_seal() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists only on PostgreSQL")
def test_the_trigger_allows_only_the_sealers_one_update(db: None) -> None:
    _write(1)
    _write(2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # Chaining and changing the content in one go is refused.
        cursor.execute(
            "UPDATE audit_auditevent SET chain_position = 1, previous_hash = 'x', hash = 'y', action = 'other' "
            "WHERE target_id = '1'"
        )
    audit_chain_seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # A chained event cannot be re-chained.
        cursor.execute("UPDATE audit_auditevent SET hash = 'y' WHERE target_id = '1'")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert audit_chain_verify().ok and audit_chain_verify().checked == 2
