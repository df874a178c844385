"""Keeps the facts following every change that moves a count, after it commits.

A record's own changes (``cases.signals``), its outcome (``outcomes.signals``) and the victim's
consent (a consent follower: whether a partner's record counts, and whether it went to the police)
each refresh the facts of the records concerned, in a background task once the change commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from umbrella.cases.models import Record
    from umbrella.sharing.services import ShareOutcome

# Ids per background task when many records change at once (an import batch).
BATCH = 2000


def refresh_after_commit(record_ids: list[int]) -> None:
    ids = sorted(set(record_ids))
    if not ids:
        return

    def enqueue() -> None:
        from umbrella.statistics.tasks import refresh_facts

        for start in range(0, len(ids), BATCH):
            refresh_facts.enqueue(ids[start:start + BATCH])

    transaction.on_commit(enqueue)


def on_record_changed(sender: Any, *, record: Any, **_: Any) -> None:
    refresh_after_commit([record.pk])


def on_records(sender: Any, *, record_ids: list[int], **_: Any) -> None:
    refresh_after_commit(list(record_ids))


def follow_consent(*, actor: Any, record: Record, keep_basis: str = "") -> ShareOutcome:
    from umbrella.sharing.services import ShareOutcome

    refresh_after_commit([record.pk])
    return ShareOutcome([], [], [])


def register() -> None:
    """Plugs this app into the record's, the outcome's and the consent's changes, and the navigation (from ``AppConfig.ready``)."""
    from umbrella.cases.signals import record_changed, records_created
    from umbrella.consent.services import register_consent_follower
    from umbrella.core.extensions import NavEntry, register_navigation
    from umbrella.outcomes.signals import outcomes_recorded
    from umbrella.statistics.policy import can_see_statistics

    record_changed.connect(on_record_changed, dispatch_uid="statistics.on_record_changed")
    records_created.connect(on_records, dispatch_uid="statistics.on_records_created")
    outcomes_recorded.connect(on_records, dispatch_uid="statistics.on_outcomes_recorded")
    register_consent_follower("statistics", follow_consent)
    register_navigation(NavEntry("Statistics", "/statistics/", allowed=can_see_statistics, order=75))
