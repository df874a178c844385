"""A tension alert's mail, sent from the task queue so a slow or failing mail server never holds
up the scan; retried a few times when the backend can defer. Takes the alert's id only."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

MAIL_ATTEMPTS: Final = 3
RETRY_AFTER: Final = timedelta(minutes=5)


@task()
def notify_alert(alert_id: int, attempt: int = 1) -> bool:
    from umbrella.tension.mail import alert_notify_send

    try:
        alert_notify_send(alert_id)
    except Exception as error:  # noqa: BLE001 - any mail failure (SMTP, socket, timeout) is retried
        logger.warning("Tension alert mail failed on attempt %d of %d: %s", attempt, MAIL_ATTEMPTS, type(error).__name__)
        if attempt < MAIL_ATTEMPTS and default_task_backend.supports_defer:
            notify_alert.using(run_after=timezone.now() + RETRY_AFTER * attempt).enqueue(alert_id, attempt + 1)
        return False
    return True
