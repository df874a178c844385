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


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.core.extensions import NavEntry, register_navigation, register_record_panel
    from umbrella.core.worklist import register_worklist_provider
    from umbrella.intake.policy import can_triage

    register_worklist_provider("intake", triage_worklist_items)
    register_navigation(NavEntry(text="Triage", href="/intake/triage/", allowed=can_triage, order=30))
    register_record_panel("intake-consent", consent_panel)

    from umbrella.crypto.registry import RotationStep, register_rotation_step
    from umbrella.intake.evidence import evidence_pending_rotation, evidence_reencrypt

    register_rotation_step(RotationStep("intake.evidence (files)", evidence_pending_rotation, evidence_reencrypt))

    from umbrella.consent.services import register_consent_follower
    from umbrella.intake.handoff import police_share_sync

    register_consent_follower("police-hand-off", police_share_sync)

    from umbrella.core.extensions import DisposalTarget, register_disposal_target
    from umbrella.intake.evidence import evidence_dispose
    from umbrella.intake.models import CaseNote, Evidence, Report

    # The report the record was made from (the victim's own words), its notes and its evidence files.
    register_disposal_target("intake.reports", DisposalTarget(Report, ("record_id",), ("answers",)))
    register_disposal_target("intake.notes", DisposalTarget(CaseNote, ("record_id", "report__record_id"), ("text",)))
    register_disposal_target("intake.evidence", DisposalTarget(Evidence, ("report__record_id",), ("name",), also=evidence_dispose))
