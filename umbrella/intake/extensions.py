"""What intake plugs into shared pages: worklist items and the record's consent panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from umbrella.core.extensions import RecordPanel
from umbrella.core.working_days import add_working_days
from umbrella.core.worklist import WorkItem
from umbrella.intake.models import OPEN_STATUSES
from umbrella.intake.selectors import consent_summary, reports_of
from umbrella.sharing.services import can_share

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record

TRIAGE_DUE_WORKING_DAYS = 1


def triage_worklist_items(user: User) -> list[WorkItem]:
    """Untriaged reports of the user's organisation (unclaimed, or claimed by the user); one query."""
    rows = (
        reports_of(user).filter(status__in=OPEN_STATUSES)
        .values_list("pk", "reference", "submitted_at", "claimed_by_id", "organisation_id")
        .order_by("submitted_at")
    )
    return [
        WorkItem(
            kind="Triage", title=f"Triage report {reference}",
            url=reverse("intake:report-detail", args=[pk]),
            due_at=add_working_days(submitted_at, TRIAGE_DUE_WORKING_DAYS),
            assignee_id=claimed_by_id, organisation_id=organisation_id,
        )
        for pk, reference, submitted_at, claimed_by_id, organisation_id in rows
        if claimed_by_id in (None, user.pk)
    ]


def consent_panel(user: User, record: Record) -> RecordPanel | None:
    """Consent history and shares, for the owning organisation's writers only."""
    if not can_share(user, record):
        return None
    return RecordPanel(
        template="intake/record_panel.html",
        context={"record_id": record.pk, "summary": consent_summary(record=record)},
        order=40,
    )
