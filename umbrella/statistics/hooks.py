"""Keeps the facts following every change that moves a count, after it commits.

A record's own changes (``cases.signals``), its outcome (``outcomes.signals``) and the victim's
consent (a consent follower: whether a partner's record counts, and whether it went to the police)
each refresh the facts of the records concerned, in a background task once the change commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from umbrella.cases.models import Record
    from umbrella.core.extensions import RecordPanel
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


def funnel_national_panel(user: Any, context: Mapping[str, Any]) -> RecordPanel | None:
    """Beside the attrition funnel: the Home Office's national share of hate crime charged, against
    other crime, by offence group (and the strand filtered on), and this funnel's own share."""
    from umbrella.core.extensions import RecordPanel
    from umbrella.statistics.selectors import national_outcomes

    filters = context.get("filters")
    national = national_outcomes(strand=getattr(filters, "strand", "") or "")
    if national is None:
        return None
    counts = {stage.key: stage.count for stage in context["funnel"].stages}
    crimes, charged = counts.get("recorded_crime", 0), counts.get("charged", 0)
    return RecordPanel(template="statistics/panels/national_outcomes.html", order=10, context={
        "national": national, "crimes": crimes, "charged": charged,
        "charged_percent": round(100 * charged / crimes, 1) if crimes else None,
    })


def register() -> None:
    """Plugs this app into the record's, the outcome's and the consent's changes, and the navigation (from ``AppConfig.ready``)."""
    from umbrella.cases.signals import record_changed, records_created
    from umbrella.consent.services import register_consent_follower
    from umbrella.core.extensions import NavEntry, register_navigation, register_page_panel
    from umbrella.outcomes.funnel import FUNNEL_PAGE
    from umbrella.outcomes.signals import outcomes_recorded
    from umbrella.statistics.policy import can_see_statistics

    record_changed.connect(on_record_changed, dispatch_uid="statistics.on_record_changed")
    records_created.connect(on_records, dispatch_uid="statistics.on_records_created")
    outcomes_recorded.connect(on_records, dispatch_uid="statistics.on_outcomes_recorded")
    register_consent_follower("statistics", follow_consent)
    register_navigation(NavEntry("Statistics", "/statistics/", allowed=can_see_statistics, order=75))
    register_page_panel(FUNNEL_PAGE, "statistics.national_outcomes", funnel_national_panel)
