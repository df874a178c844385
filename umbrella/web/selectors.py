"""Reads composed for pages. Everything starts from cases.selectors, so scoping always applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from umbrella.accounts.policy import FLAGGED_READERS, has_role
from umbrella.cases.models import Record, RecordStatus
from umbrella.cases.selectors import RecordFilters, record_list

if TYPE_CHECKING:
    from umbrella.accounts.models import User

WORKLIST_SIZE = 10


@dataclass(frozen=True)
class Worklist:
    drafts: list[Record]
    drafts_count: int
    recent: list[Record]
    recent_count: int
    flagged_today: list[Record] | None
    flagged_today_count: int


def worklist(*, user: User) -> Worklist:
    """The home page's lists: the user's drafts, what they recorded in the last 30 days and,
    for hub reviewers, flagged records recorded in the last day."""
    now = timezone.now()
    mine = record_list(user=user, filters=RecordFilters(sort="-reported_at")).filter(created_by_id=user.pk)
    drafts = mine.filter(status=RecordStatus.DRAFT)
    recent = mine.exclude(status=RecordStatus.DRAFT).filter(created_at__gte=now - timedelta(days=30))
    flagged_list: list[Record] | None = None
    flagged_count = 0
    if has_role(user, FLAGGED_READERS):
        flagged = record_list(user=user, filters=RecordFilters(flagged=True)).filter(
            recorded_at__gte=now - timedelta(days=1)
        )
        flagged_list = list(flagged[:WORKLIST_SIZE])
        flagged_count = flagged.count()
    return Worklist(
        drafts=list(drafts[:WORKLIST_SIZE]),
        drafts_count=drafts.count(),
        recent=list(recent[:WORKLIST_SIZE]),
        recent_count=recent.count(),
        flagged_today=flagged_list,
        flagged_today_count=flagged_count,
    )
