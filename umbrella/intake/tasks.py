"""Mail to triagers and reporters, sent from the task queue so a slow or failing mail server never
blocks or breaks a submission. Tasks take ids (never an address). A failed send is retried later,
up to MAIL_ATTEMPTS times, when the task backend can defer; the SMTP timeout is EMAIL_TIMEOUT."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

MAIL_ATTEMPTS: Final = 3
RETRY_AFTER: Final = timedelta(minutes=5)


def _send_with_retry(send: Callable[[], None], again: Any, task_id: int, attempt: int, what: str) -> bool:
    try:
        send()
    except Exception as error:  # noqa: BLE001 - any mail failure (SMTP, socket, timeout) is retried
        # The error's class only: its text may carry an address.
        logger.warning("Mail (%s) failed on attempt %d of %d: %s", what, attempt, MAIL_ATTEMPTS, type(error).__name__)
        if attempt < MAIL_ATTEMPTS and default_task_backend.supports_defer:
            again.using(run_after=timezone.now() + RETRY_AFTER * attempt).enqueue(task_id, attempt + 1)
        return False
    return True


@task()
def notify_organisation(organisation_id: int, attempt: int = 1) -> bool:
    from umbrella.intake.mail import notify_organisation_send

    return _send_with_retry(lambda: notify_organisation_send(organisation_id), notify_organisation,
                            organisation_id, attempt, "new report waiting")


@task()
def acknowledge_report(report_id: int, attempt: int = 1) -> bool:
    from umbrella.intake.mail import acknowledge_send

    return _send_with_retry(lambda: acknowledge_send(report_id), acknowledge_report, report_id, attempt,
                            "report acknowledgement")


@task()
def tell_centre_recorded(report_id: int, attempt: int = 1) -> bool:
    from umbrella.intake.mail import tell_centre_recorded_send

    return _send_with_retry(lambda: tell_centre_recorded_send(report_id), tell_centre_recorded, report_id, attempt,
                            "hand-off recorded")


# Enqueued once the writing transaction commits (the callers use transaction.on_commit).


def notify_organisation_later(organisation_id: int) -> None:
    notify_organisation.enqueue(organisation_id)


def tell_centre_later(report_id: int) -> None:
    tell_centre_recorded.enqueue(report_id)
