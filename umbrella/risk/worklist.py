"""The risk app's worklist items: plan actions for the assignee's organisation, overdue actions
for the plan's owner, and reassessments due. A fixed handful of queries per user."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from umbrella.cases.models import Record
from umbrella.cases.policy import can_write_records
from umbrella.core.worklist import WorkItem
from umbrella.risk.models import (
    ActionStatus,
    ReassessmentPrompt,
    RiskAction,
    RiskAssessment,
    RiskLevel,
)
from umbrella.risk.policy import can_work_actions
from umbrella.risk.selectors import end_of
from umbrella.risk.services import HIGH_REVIEW_DAYS

if TYPE_CHECKING:
    from umbrella.accounts.models import User

LIMIT = 200


def _assigned_actions(user: User) -> list[WorkItem]:
    qs = (
        RiskAction.objects.filter(assigned_organisation_id=user.organisation_id, status=ActionStatus.OPEN)
        .filter(Q(assigned_user__isnull=True) | Q(assigned_user=user))
        .select_related("plan__record")
        .order_by("due_date", "id")[:LIMIT]
    )
    return [
        WorkItem(
            kind="Risk plan action",
            title=f"{action.get_action_type_display()} (risk plan action)",
            url=reverse("risk:action", kwargs={"action_id": action.pk}),
            due_at=end_of(action.due_date),
            assignee_id=action.assigned_user_id,
            team_id=None,
            organisation_id=action.assigned_organisation_id,
            record_reference=action.plan.record.reference,
        )
        for action in qs
    ]


def _overdue_for_owner(user: User, visible: object) -> list[WorkItem]:
    today = timezone.localdate()
    qs = (
        RiskAction.objects.filter(plan__owner_id=user.organisation_id, status=ActionStatus.OPEN, due_date__lt=today)
        .exclude(assigned_organisation_id=user.organisation_id)
        .filter(plan__record__in=visible)
        .select_related("plan__record", "assigned_organisation", "plan")
        .order_by("due_date", "id")[:LIMIT]
    )
    return [
        WorkItem(
            kind="Overdue risk plan action",
            title=f"Overdue: {action.get_action_type_display()} assigned to {action.assigned_organisation.name}",
            url=reverse("risk:action", kwargs={"action_id": action.pk}),
            due_at=end_of(action.due_date),
            assignee_id=action.plan.created_by_id,
            organisation_id=user.organisation_id,
            record_reference=action.plan.record.reference,
        )
        for action in qs
    ]


def _reassessments(user: User, visible: object) -> list[WorkItem]:
    assert user.organisation_id is not None
    now = timezone.now()
    items: list[WorkItem] = []
    newer = RiskAssessment.objects.filter(record=OuterRef("record"), assessed_at__gt=OuterRef("assessed_at"))
    stale_high = (
        RiskAssessment.objects.filter(
            record__organisation_id=user.organisation_id,
            assessed_at__lte=now - timedelta(days=HIGH_REVIEW_DAYS),
        )
        .filter(Q(override_level=RiskLevel.HIGH) | Q(override_level="", computed_level=RiskLevel.HIGH))
        .filter(~Exists(newer), record__in=visible)
        .select_related("record")
        .order_by("assessed_at")[:LIMIT]
    )
    for assessment in stale_high:
        items.append(
            WorkItem(
                kind="Risk reassessment",
                title=f"Reassess risk: high and {HIGH_REVIEW_DAYS} days since the last assessment",
                url=reverse("risk:assess", kwargs={"record_id": assessment.record_id}),
                due_at=assessment.assessed_at + timedelta(days=HIGH_REVIEW_DAYS),
                assignee_id=assessment.assessor_id,
                organisation_id=user.organisation_id,
                record_reference=assessment.record.reference,
            )
        )
    prompts = (
        ReassessmentPrompt.objects.filter(
            record__organisation_id=user.organisation_id, resolved_by__isnull=True, record__in=visible
        )
        .select_related("record")
        .order_by("created_at")[:LIMIT]
    )
    seen: set[tuple[int, str]] = set()
    for prompt in prompts:
        if (prompt.record_id, prompt.reason) in seen:
            continue
        seen.add((prompt.record_id, prompt.reason))
        items.append(
            WorkItem(
                kind="Risk reassessment",
                title=f"Reassess risk: {prompt.get_reason_display().lower()}",
                url=reverse("risk:assess", kwargs={"record_id": prompt.record_id}),
                due_at=prompt.created_at,
                organisation_id=user.organisation_id,
                record_reference=prompt.record.reference,
            )
        )
    return items


def risk_worklist_items(user: User) -> list[WorkItem]:
    if user.organisation_id is None:
        return []
    items: list[WorkItem] = []
    if can_work_actions(user):
        items.extend(_assigned_actions(user))
    if can_write_records(user):
        visible = Record.objects.visible_to(user).values("pk")
        items.extend(_overdue_for_owner(user, visible))
        items.extend(_reassessments(user, visible))
    return items
