"""Mail goes through the task queue: a failing mail server never breaks a submission, the failure
is logged without any address, and the send is retried later where the task backend can defer."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail

from tests.conftest import World
from tests.intake.factories import VICTIM_EMAIL, submit
from umbrella.intake import tasks
from umbrella.intake.models import Report

pytestmark = pytest.mark.django_db


def test_a_failing_mail_server_does_not_break_a_submission(
    world: World, monkeypatch: Any, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    def refuse(**_: Any) -> None:
        raise OSError(f"could not deliver to {VICTIM_EMAIL}")

    monkeypatch.setattr("umbrella.intake.mail.send_mail", refuse)
    with caplog.at_level(logging.WARNING, logger="umbrella.intake.tasks"), \
            django_capture_on_commit_callbacks(execute=True):
        reports = submit()
    assert reports and Report.objects.filter(pk=reports[0].pk).exists()
    assert "report acknowledgement" in caplog.text and "OSError" in caplog.text
    assert VICTIM_EMAIL not in caplog.text
    assert mail.outbox == []


def test_the_acknowledgement_reaches_the_reporter_from_the_queue(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = submit()
    ack = next(m for m in mail.outbox if VICTIM_EMAIL in m.to)
    assert report.reference in ack.subject


class _Again:
    def __init__(self) -> None:
        self.enqueued: list[tuple[Any, ...]] = []
        self.run_after: Any = None

    def using(self, *, run_after: Any) -> _Again:
        self.run_after = run_after
        return self

    def enqueue(self, *args: Any) -> None:
        self.enqueued.append(args)


def test_a_failed_send_is_retried_later_up_to_three_attempts(monkeypatch: Any) -> None:
    monkeypatch.setattr(tasks.default_task_backend, "supports_defer", True, raising=False)

    def fail() -> None:
        raise TimeoutError

    again = _Again()
    assert tasks._send_with_retry(fail, again, 42, 1, "test") is False
    assert again.enqueued == [(42, 2)] and again.run_after is not None
    last = _Again()
    assert tasks._send_with_retry(fail, last, 42, tasks.MAIL_ATTEMPTS, "test") is False
    assert last.enqueued == []  # the last attempt gives up
    assert tasks._send_with_retry(lambda: None, _Again(), 42, 1, "test") is True
