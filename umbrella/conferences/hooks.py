"""The conferences app's contributions to shared pages: navigation, the record panel, the worklist."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from umbrella.conferences.policy import can_refer, takes_part
from umbrella.conferences.selectors import (
    conferences_visible_to,
    open_actions_for,
    referrals_for_record,
    upcoming_conferences_for,
)
from umbrella.core.extensions import NavEntry, RecordPanel
from umbrella.core.worklist import WorkItem

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record

NAVIGATION = NavEntry(text="Risk conferences", href="/conferences/", allowed=takes_part, order=60)
UPCOMING_DAYS = 14


def record_panel(user: User, record: Record) -> RecordPanel | None:
    """'Referred to conference X on date' and, for users who can, a link to refer the case."""
    if not takes_part(user):
        return None
    referrals = referrals_for_record(user=user, record=record)
    visible_ids = set(conferences_visible_to(user).filter(
        pk__in=[r.conference_id for r in referrals if r.conference_id]
    ).values_list("pk", flat=True)) if referrals else set()
    rows = [
        {
            "conference_id": r.conference_id,
            "title": r.conference.title if r.conference else "",
            "visible": r.conference_id in visible_ids,
            "referred_at": r.referred_at,
            "status": r.get_status_display().lower(),
        }
        for r in referrals
    ]
    refer = reverse("conferences:refer", kwargs={"record_id": record.pk}) if can_refer(user) else ""
    return RecordPanel(template="conferences/record_panel.html", context={"referrals": rows, "refer_url": refer},
                       order=60)


def _end_of(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def worklist_items(user: User) -> list[WorkItem]:
    """Open agreed actions for the user or their organisation (by due date, so overdue first), and
    conferences in the next fortnight for attendees. Titles carry no personal data."""
    if not takes_part(user):
        return []
    items: list[WorkItem] = []
    for action in open_actions_for(user=user):
        conference = action.referral.conference
        items.append(WorkItem(
            kind="Conference action",
            title=f"Action agreed at {conference.title}" if conference else "Action agreed at a risk conference",
            url=reverse("conferences:action-complete", kwargs={"action_id": action.pk}),
            due_at=_end_of(action.due_on),
            assignee_id=action.assigned_user_id,
            organisation_id=action.assigned_organisation_id,
            record_reference=action.referral.record.reference,
        ))
    until = timezone.localdate() + timedelta(days=UPCOMING_DAYS)
    for conference in upcoming_conferences_for(user=user, until=until):
        items.append(WorkItem(
            kind="Risk conference",
            title=f"{conference.title} meets",
            url=reverse("conferences:detail", kwargs={"conference_id": conference.pk}),
            due_at=conference.meets_at,
            organisation_id=user.organisation_id,
        ))
    return items


def conference_blockers(records: Any) -> dict[int, str]:
    """A conference still to discuss a record, or one not yet closed, keeps it alive."""
    from umbrella.conferences.models import ConferenceReferral, ConferenceStatus, ReferralStatus

    pending = ConferenceReferral.objects.filter(record__in=records).filter(
        models.Q(status__in=(ReferralStatus.REFERRED, ReferralStatus.LISTED))
        | models.Q(conference__status__in=(ConferenceStatus.PLANNED, ConferenceStatus.HELD))
    ).exclude(status=ReferralStatus.WITHDRAWN).values_list("record_id", flat=True).distinct()
    return dict.fromkeys(pending, "a risk conference has not finished with it")


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.core.extensions import register_navigation, register_record_panel
    from umbrella.core.worklist import register_worklist_provider

    register_navigation(NAVIGATION)
    register_record_panel("conferences", record_panel)
    register_worklist_provider("conferences", worklist_items)
    from umbrella.core.extensions import register_retention_blocker

    register_retention_blocker("conferences.referrals", conference_blockers)


    from umbrella.conferences.models import ConferenceReferral, SharedInformation
    from umbrella.core.extensions import DisposalTarget, register_disposal_target

    # The case as the conference heard it. The minutes cover the whole meeting and stay (see
    # tests/retention/test_disposal_reach.py).
    register_disposal_target("conferences.referrals", DisposalTarget(
        ConferenceReferral, ("record_id",), ("rationale", "summary")))
    register_disposal_target("conferences.shared_information", DisposalTarget(
        SharedInformation, ("referral__record_id",), ("text",)))
