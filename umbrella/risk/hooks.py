"""What the risk app plugs into shared pages and the record's signals: its worklist items (plan
actions for the assignee's organisation, overdue actions for the plan's owner, reassessments due:
a fixed handful of queries per user), the risk section of the record page, and the prompts a new
incident raises."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from umbrella.cases.models import Record
from umbrella.cases.policy import can_write_records
from umbrella.core.extensions import RecordPanel
from umbrella.core.worklist import WorkItem
from umbrella.risk.models import (
    ActionStatus,
    ReassessmentPrompt,
    RiskAction,
    RiskAssessment,
    RiskLevel,
)
from umbrella.risk.policy import can_assess, can_work_actions
from umbrella.risk.selectors import end_of, latest_assessment, reassessment_due, repeat_indicators
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


def risk_panel(user: User, record: Record) -> RecordPanel | None:
    latest = latest_assessment(user=user, record=record)
    return RecordPanel(
        template="risk/panel.html",
        context={
            "record": record,
            "latest": latest,
            "due": reassessment_due(user=user, record=record) if latest else [],
            "repeat": repeat_indicators(user=user, record=record),
            "can_assess": can_assess(user, record),
        },
        order=20,
    )


def _on_record_changed(sender: Any, record: Any, actor: Any, change: str, **kwargs: Any) -> None:
    from umbrella.cases import signals
    from umbrella.risk.services import prompts_for_new_incident

    if change in (signals.CREATED, signals.PEOPLE):
        prompts_for_new_incident(record=record)


def _on_records_created(sender: Any, record_ids: list[int], **kwargs: Any) -> None:
    """Many new records (an import): the same prompts as one new record, asked only of those with a
    victim (one query when none has, as with today's import mappings, which carry no people)."""
    from umbrella.cases.models import PersonRole, Record, RecordPerson
    from umbrella.risk.services import prompts_for_new_incident

    with_victim = RecordPerson.objects.filter(record_id__in=record_ids, role=PersonRole.VICTIM).values("record_id")
    for record in Record.objects.filter(pk__in=with_victim).order_by("pk"):
        prompts_for_new_incident(record=record)


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.cases.signals import record_changed, records_created
    from umbrella.core.extensions import (
        NavEntry,
        register_board_measures,
        register_navigation,
        register_record_panel,
    )
    from umbrella.core.worklist import register_worklist_provider
    from umbrella.risk.policy import can_edit_questionnaire, can_work_actions
    from umbrella.risk.selectors import board_measures

    record_changed.connect(_on_record_changed, dispatch_uid="risk.new_incident_prompts")
    records_created.connect(_on_records_created, dispatch_uid="risk.new_incident_prompts_many")
    register_worklist_provider("risk", risk_worklist_items)
    register_record_panel("risk", risk_panel)
    register_board_measures("risk", board_measures)
    register_navigation(NavEntry("Risk actions", "/risk/actions/", allowed=can_work_actions, order=60))
    register_navigation(
        NavEntry("Risk questionnaire", "/risk/questionnaires/", allowed=can_edit_questionnaire, order=90)
    )

    from umbrella.core.extensions import DisposalTarget, register_disposal_target
    from umbrella.risk.models import RiskAction, RiskAssessment

    register_disposal_target("risk.assessments", DisposalTarget(
        RiskAssessment, ("record_id",), ("answers", "computed_reasons", "override_rationale")))
    register_disposal_target("risk.actions", DisposalTarget(RiskAction, ("plan__record_id",), ("description", "outcome_note")))
