"""Reads of the hub review, scoped to the user's force. Decryption happens here, for entitled users.

Hub reviewers see flagged records of their force (cases.scoping). A screening suggestion can
put an unflagged record in the queue, so ``item_view`` also lets the force's reviewers read a
record while it has an open item in their force's queue: that read is audited as any record view.
``review_labels`` is for the training pipeline only (system tasks and commands, no user scope).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases import actions as record_actions
from umbrella.cases.models import (
    NARRATIVE_COLUMN,
    EvidentialAssessment,
    PersonRole,
    Record,
    RecordPerson,
    RecordStrand,
)
from umbrella.cases.selectors import latest_assessments
from umbrella.core.extensions import BoardMeasure
from umbrella.core.worklist import WorkItem
from umbrella.crypto.fields import decrypt
from umbrella.reference.selectors import current_codes
from umbrella.review.models import (
    NOTE_COLUMN,
    OPEN_STATUSES,
    Decision,
    ItemStatus,
    ReviewItem,
    ReviewReason,
    Suggestion,
)
from umbrella.review.policy import can_read_dashboard, can_review
from umbrella.review.services import HATE_KINDS, suggestion_explanation

if TYPE_CHECKING:
    from umbrella.accounts.models import User


# ---------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------


def _force_id(user: User) -> int:
    """The user's organisation id; 0 (matching nothing) for a user without one."""
    return user.organisation_id or 0


@dataclass(frozen=True)
class QueueFilters:
    overdue: bool | None = None
    reason: str = ""
    team_id: int | None = None
    borough: str = ""


def queue_items(*, user: User, filters: QueueFilters | None = None, now: datetime | None = None) -> QuerySet[ReviewItem]:
    """The force's open items, overdue first then by due time (the earliest due are the overdue)."""
    if not can_review(user):
        return ReviewItem.objects.none()
    filters = filters or QueueFilters()
    now = now or timezone.now()
    qs = ReviewItem.objects.filter(organisation_id=_force_id(user), status__in=OPEN_STATUSES)
    if filters.overdue is True:
        qs = qs.filter(due_at__lt=now)
    elif filters.overdue is False:
        qs = qs.filter(due_at__gte=now)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.team_id:
        qs = qs.filter(record__team_id=filters.team_id)
    if filters.borough:
        qs = qs.filter(record__borough__code=filters.borough)
    return (
        qs.select_related("record", "record__team", "record__borough", "claimed_by")
        .prefetch_related(
            Prefetch("record__strands", queryset=RecordStrand.objects.select_related("strand", "sub_category")),
            Prefetch("suggestions", queryset=Suggestion.objects.defer("explanation").order_by("-probability", "id")),
        )
        .order_by("due_at", "id")
    )


def item_get(*, user: User, item_id: int) -> ReviewItem:
    """One of the user's force's items, for its reviewers; ReviewItem.DoesNotExist otherwise."""
    if not can_review(user):
        raise ReviewItem.DoesNotExist
    return ReviewItem.objects.select_related("record", "claimed_by", "record__team", "record__borough").get(
        pk=item_id, organisation_id=_force_id(user)
    )


@dataclass(frozen=True)
class Segment:
    text: str
    reason: str = ""

    @property
    def marked(self) -> bool:
        return bool(self.reason)


def highlight(narrative: str, spans: list[dict[str, Any]]) -> list[Segment]:
    """The narrative cut into plain and evidence segments; overlapping spans are merged.

    A span whose offsets no longer match its text (the narrative was edited since) is found by
    its text instead, or dropped.
    """
    found: list[tuple[int, int, str]] = []
    for span in spans:
        try:
            start, end = int(span.get("start", -1)), int(span.get("end", -1))
        except (TypeError, ValueError):
            continue
        text = str(span.get("text") or "")
        reason = str(span.get("reason") or "Matched indicator")
        if not (0 <= start < end <= len(narrative)) or (text and narrative[start:end] != text):
            at = narrative.find(text) if text else -1
            if at < 0:
                continue
            start, end = at, at + len(text)
        found.append((start, end, reason))
    found.sort()
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, reason in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            reasons = last[2] if reason in last[2] else [*last[2], reason]
            merged[-1] = (last[0], max(last[1], end), reasons)
        else:
            merged.append((start, end, [reason]))
    segments: list[Segment] = []
    cursor = 0
    for start, end, reasons in merged:
        if start > cursor:
            segments.append(Segment(narrative[cursor:start]))
        segments.append(Segment(narrative[start:end], "; ".join(reasons)))
        cursor = end
    if cursor < len(narrative) or not segments:
        segments.append(Segment(narrative[cursor:]))
    return segments


@dataclass(frozen=True)
class SuggestionView:
    suggestion: Suggestion
    spans: list[dict[str, Any]]
    top_terms: list[str]


@dataclass(frozen=True)
class ItemView:
    item: ReviewItem
    record: Record
    narrative: str
    segments: list[Segment]
    strands: list[RecordStrand]
    suggestions: list[SuggestionView]
    people_by_role: dict[str, int]
    decision: Decision | None
    decision_note: str = ""
    other_decisions: list[Decision] = field(default_factory=list)
    # Each strand as a reviewer reads it: label, who perceived it, its current evidential assessment.
    strand_lines: list[str] = field(default_factory=list)
    # The decision's assessments, readable ("Race: not supported by the evidence").
    assessed: list[str] = field(default_factory=list)


def _strand_lines(record: Record, strands: list[RecordStrand]) -> list[str]:
    latest = latest_assessments([record.pk])
    lines = []
    for row in strands:
        text = row.strand.label + (f" ({row.sub_category.label})" if row.sub_category else "")
        text += f", perceived by {row.perceiver.label.lower()}"
        found = latest.get(row.pk)
        text += f": {found.get_assessment_display().lower()}" if found else ": not yet assessed"
        lines.append(text)
    return lines


def _assessed(decision: Decision | None) -> list[str]:
    if decision is None:
        return []
    labels = {c.code: c.label for c in current_codes(scheme="strand")}
    return [
        f"{labels.get(entry.get('strand'), entry.get('strand'))}: "
        f"{EvidentialAssessment(entry.get('assessment')).label.lower()}"
        for entry in decision.strand_assessments
        if entry.get("assessment") in EvidentialAssessment.values
    ]


def _readable(user: User, item: ReviewItem) -> bool:
    # Open items: every reviewer of the force may read the record they are asked to review, even
    # an unflagged one. Decided items: only as far as the cases scoping allows.
    return item.is_open or Record.objects.visible_to(user).filter(pk=item.record_id).exists()


@decrypts
def item_view(*, user: User, item_id: int) -> ItemView:
    """The record under review, decrypted for the reviewer, with the evidence of each suggestion.

    Raises ReviewItem.DoesNotExist when the user may not see it. The read is audited as record.view.
    """
    item = item_get(user=user, item_id=item_id)
    if not _readable(user, item):
        raise ReviewItem.DoesNotExist
    record = Record.objects.select_related(
        "organisation", "team", "borough", "location_type", "online_platform"
    ).get(pk=item.record_id)
    narrative = decrypt(record.narrative, column=NARRATIVE_COLUMN)
    suggestions = []
    spans: list[dict[str, Any]] = []
    for suggestion in Suggestion.objects.filter(item=item).order_by("-probability", "id"):
        explanation = suggestion_explanation(suggestion)
        these = [s for s in explanation.get("spans", []) if isinstance(s, dict)]
        spans.extend(these)
        terms = [str(t if not isinstance(t, (list, tuple)) else t[0]) for t in explanation.get("top_terms", [])][:10]
        suggestions.append(SuggestionView(suggestion=suggestion, spans=these, top_terms=terms))
    roles = Counter(RecordPerson.objects.filter(record=record).values_list("role", flat=True))
    people_by_role = {str(PersonRole(role).label): count for role, count in roles.items()}
    decision = Decision.objects.filter(item=item).select_related("reviewer").first()
    strands = list(record.strands.select_related("strand", "sub_category", "perceiver"))
    audit_event_write(
        actor=user, action=record_actions.RECORD_VIEW, target=record, target_label=record.reference,
        record_id=record.pk, changes={"access": "full", "via": "review item", "item": item.pk, "people_shown": 0},
    )
    return ItemView(
        item=item,
        record=record,
        narrative=narrative,
        segments=highlight(narrative, spans),
        strands=strands,
        suggestions=suggestions,
        people_by_role=people_by_role,
        decision=decision,
        decision_note=decrypt(decision.note, column=NOTE_COLUMN) if decision and decision.note else "",
        other_decisions=list(
            Decision.objects.filter(record=record).exclude(item=item).select_related("reviewer").order_by("-decided_at")[:10]
        ),
        strand_lines=_strand_lines(record, strands),
        assessed=_assessed(decision),
    )


# ---------------------------------------------------------------------------
# The compliance dashboard
# ---------------------------------------------------------------------------

PERIODS = {7: "Last 7 days", 28: "Last 28 days", 91: "Last 13 weeks", 365: "Last 12 months"}
TREND_WEEKS = 12


@dataclass(frozen=True)
class ChangeRow:
    label: str
    decisions: int
    strands_added: int
    strands_not_supported: int
    kind_changed: int
    online_changed: int


@dataclass(frozen=True)
class WeekRow:
    week_start: date
    entered: int
    decided: int
    within: int

    @property
    def percent_within(self) -> float | None:
        return round(100 * self.within / self.decided, 1) if self.decided else None


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    period_days: int
    open_items: int
    due_today: int
    overdue: int
    decided: int
    within: int
    by_team: list[ChangeRow]
    by_borough: list[ChangeRow]
    totals: ChangeRow
    weekly: list[WeekRow]

    @property
    def percent_within(self) -> float | None:
        return round(100 * self.within / self.decided, 1) if self.decided else None


def _change_rows(decisions: QuerySet[Decision], group: str, empty_label: str) -> list[ChangeRow]:
    rows = (
        decisions.values(group)
        .annotate(
            n=Count("pk"),
            added=Sum("strands_added_count"),
            not_supported=Sum("strands_not_supported_count"),
            kind=Count("pk", filter=~Q(kind_from=F("kind_to"))),
            online=Count("pk", filter=~Q(online_from=F("online_to"))),
        )
        .order_by(group)
    )
    return [
        ChangeRow(
            label=row[group] or empty_label, decisions=row["n"], strands_added=row["added"] or 0,
            strands_not_supported=row["not_supported"] or 0, kind_changed=row["kind"], online_changed=row["online"],
        )
        for row in rows
    ]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def dashboard(*, user: User, period_days: int = 28, now: datetime | None = None) -> Dashboard:
    """The force's compliance figures in a handful of aggregate queries."""
    if not can_read_dashboard(user):
        raise PermissionDenied("Not a reader of the hub dashboard")
    now = now or timezone.now()
    period_days = period_days if period_days in PERIODS else 28
    org_items = ReviewItem.objects.filter(organisation_id=_force_id(user))
    local_now = timezone.localtime(now)
    end_of_today = timezone.make_aware(datetime.combine(local_now.date() + timedelta(days=1), datetime.min.time()))
    open_figures = org_items.filter(status__in=OPEN_STATUSES).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_today=Count("pk", filter=Q(due_at__gte=now, due_at__lt=end_of_today)),
    )
    since = now - timedelta(days=period_days)
    decided_figures = org_items.filter(status=ItemStatus.DECIDED, decided_at__gte=since, decided_at__lte=now).aggregate(
        decided=Count("pk"), within=Count("pk", filter=Q(decided_at__lte=F("due_at")))
    )
    decisions = Decision.objects.filter(item__organisation_id=_force_id(user), decided_at__gte=since, decided_at__lte=now)
    totals = decisions.aggregate(
        n=Count("pk"),
        added=Sum("strands_added_count"),
        not_supported=Sum("strands_not_supported_count"),
        kind=Count("pk", filter=~Q(kind_from=F("kind_to"))),
        online=Count("pk", filter=~Q(online_from=F("online_to"))),
    )
    trend_start_day = _week_start(local_now.date()) - timedelta(weeks=TREND_WEEKS - 1)
    trend_start = timezone.make_aware(datetime.combine(trend_start_day, datetime.min.time()))
    decided_weeks = {
        _as_date(row["week"]): row
        for row in org_items.filter(status=ItemStatus.DECIDED, decided_at__gte=trend_start)
        .annotate(week=TruncWeek("decided_at"))
        .values("week")
        .annotate(decided=Count("pk"), within=Count("pk", filter=Q(decided_at__lte=F("due_at"))))
        .order_by("week")
    }
    entered_weeks = {
        _as_date(row["week"]): row["n"]
        for row in org_items.filter(entered_at__gte=trend_start)
        .annotate(week=TruncWeek("entered_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    }
    weekly = []
    for offset in range(TREND_WEEKS):
        week = trend_start_day + timedelta(weeks=offset)
        row = decided_weeks.get(week, {})
        weekly.append(WeekRow(week, entered_weeks.get(week, 0), row.get("decided", 0), row.get("within", 0)))
    return Dashboard(
        now=now,
        period_days=period_days,
        open_items=open_figures["total"],
        due_today=open_figures["due_today"],
        overdue=open_figures["overdue"],
        decided=decided_figures["decided"],
        within=decided_figures["within"],
        by_team=_change_rows(decisions, "record__team__name", "No team"),
        by_borough=_change_rows(decisions, "record__borough__label", "No borough"),
        totals=ChangeRow(
            label="All", decisions=totals["n"], strands_added=totals["added"] or 0,
            strands_not_supported=totals["not_supported"] or 0, kind_changed=totals["kind"], online_changed=totals["online"],
        ),
        weekly=weekly,
    )


# ---------------------------------------------------------------------------
# Worklist and training labels
# ---------------------------------------------------------------------------

WORKLIST_LIMIT = 200


def review_worklist(user: User) -> list[WorkItem]:
    """Open items of the user's force, for its reviewers: the claimer's own, or the hub's."""
    if not can_review(user):
        return []
    items = (
        ReviewItem.objects.filter(organisation_id=_force_id(user), status__in=OPEN_STATUSES)
        .filter(Q(claimed_by__isnull=True) | Q(claimed_by_id=user.pk))
        .select_related("record")
        .only("pk", "reason", "due_at", "claimed_by_id", "organisation_id", "record__reference")
        .order_by("due_at", "id")[:WORKLIST_LIMIT]
    )
    return [
        WorkItem(
            kind="Hub review",
            title="Review a screening suggestion" if item.reason == ReviewReason.SUGGESTION else "Review a flagged record",
            url=reverse("review:item", args=[item.pk]),
            due_at=item.due_at,
            assignee_id=item.claimed_by_id,
            team_id=None,
            organisation_id=item.organisation_id,
            record_reference=item.record.reference,
        )
        for item in items
    ]


@dataclass(frozen=True)
class LabelledRecord:
    record_id: int
    text: str
    is_hate: bool
    strands: frozenset[str]
    is_online: bool
    ethnicity_group: str


@decrypts
def review_labels(*, organisation_ids: list[int] | None = None, chunk_size: int = 500) -> Iterator[LabelledRecord]:
    """One label row per reviewed record, as the record stands after review (for training only).

    ``is_hate``: a hate crime or NCHI carrying a strand; ``ethnicity_group``: the first victim's
    ONS ethnic group ('' if not known).
    """
    decided = Decision.objects.all()
    if organisation_ids is not None:
        decided = decided.filter(item__organisation_id__in=organisation_ids)
    record_ids = sorted(set(decided.values_list("record_id", flat=True)))
    for offset in range(0, len(record_ids), chunk_size):
        chunk = record_ids[offset : offset + chunk_size]
        records = Record.objects.filter(pk__in=chunk).only("pk", "kind", "narrative", "is_online").prefetch_related(
            Prefetch("strands", queryset=RecordStrand.objects.select_related("strand"))
        )
        groups: dict[int, str] = {}
        victims = (
            RecordPerson.objects.filter(record_id__in=chunk, role=PersonRole.VICTIM, person__ethnicity__isnull=False)
            .select_related("person__ethnicity")
            .order_by("id")
        )
        for link in victims:
            ethnicity = link.person.ethnicity
            if link.record_id not in groups and ethnicity is not None:
                groups[link.record_id] = str(ethnicity.attributes.get("group", ""))
        for record in records.order_by("pk"):
            strands = frozenset(row.strand.code for row in record.strands.all())
            yield LabelledRecord(
                record_id=record.pk,
                text=decrypt(record.narrative, column=NARRATIVE_COLUMN),
                is_hate=record.kind in HATE_KINDS and bool(strands),
                strands=strands,
                is_online=record.is_online,
                ethnicity_group=groups.get(record.pk, ""),
            )


def open_review_item_exists() -> Any:
    """For cases.scoping: the force's hub reviewers also see records with an open item (a
    screening suggestion on an unflagged record), so they can read and change them while deciding."""
    from django.db.models import Exists, OuterRef

    return Exists(ReviewItem.objects.filter(record=OuterRef("pk")).exclude(status=ItemStatus.DECIDED))


def board_measures(record_ids: Any) -> list[BoardMeasure]:
    """For the scrutiny board: how promptly the hub reviewed the flagged records counted."""
    now = timezone.now()
    items = ReviewItem.objects.filter(record_id__in=record_ids).aggregate(
        decided=Count("pk", filter=Q(status=ItemStatus.DECIDED)),
        on_time=Count("pk", filter=Q(status=ItemStatus.DECIDED, decided_at__lte=F("due_at"))),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
    )
    # Screening: the records it suggested hate (or a strand) for, and of those a reviewer decided,
    # how many the reviewer agreed with: per victim group, this is what says whether screening
    # suggests more for some communities than a reviewer would (the statistics page's equality table).
    suggested = Suggestion.objects.filter(record_id__in=record_ids).values("record_id")
    decided = Decision.objects.filter(record_id__in=suggested)
    screening = decided.aggregate(
        reviewed=Count("record_id", distinct=True),
        agreed=Count("record_id", distinct=True, filter=~Q(suggestions_accepted=[])),
    )
    return [
        BoardMeasure("Hub review", "Reviewed within one working day", items["on_time"], items["decided"],
                     "of the flagged records the hub has reviewed"),
        BoardMeasure("Hub review", "Waiting for review past their working day", items["overdue"]),
        BoardMeasure("Screening", "Records screening made a suggestion on", suggested.distinct().count()),
        BoardMeasure("Screening", "Suggestions a reviewer agreed with", screening["agreed"], screening["reviewed"],
                     "of the records with a suggestion a reviewer has decided"),
    ]
