"""Writes of the hub review: queueing, suggestions, claims and decisions. Each is atomic and audited.

Decisions change the record only through the cases services (so the record's own audit trail and
signals happen as for any edit); while a decision is being applied, the queue ignores the
record's change signals, so a reviewer's own strand change does not put the record straight
back in the queue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from umbrella.agencies.models import OrganisationKind
from umbrella.audit.reads import decrypts
from umbrella.audit.services import PendingEvent, audit_event_write, audit_events_write_many
from umbrella.cases import services as cases_services
from umbrella.cases import signals
from umbrella.cases.inputs import FlagsInput, StrandInput
from umbrella.cases.models import (
    NARRATIVE_COLUMN,
    EvidentialAssessment,
    PersonRole,
    Record,
    RecordKind,
    RecordPerson,
    RecordStatus,
    RecordStrand,
)
from umbrella.cases.nchi import record_remove_subject_data
from umbrella.core.working_days import add_working_days
from umbrella.crypto.fields import decrypt, encrypt
from umbrella.review import actions
from umbrella.review.models import (
    EXPLANATION_COLUMN,
    NOTE_COLUMN,
    OPEN_STATUSES,
    Decision,
    DecisionOutcome,
    ItemStatus,
    ReviewItem,
    ReviewReason,
    SubjectNotification,
    Suggestion,
    SuggestionKind,
    SuggestionSource,
)
from umbrella.review.policy import can_review

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.reference.models import Code

HATE_KINDS = (RecordKind.HATE_CRIME, RecordKind.NCHI)
NCHI_REMOVAL_REASON = (
    "NCHI Code of Practice 2023: no real risk of significant harm and no real risk of a future offence"
)

# Records whose decision is being applied in this context: their change signals are the
# reviewer's own edits, not new reasons to review.
_DECIDING: ContextVar[frozenset[int]] = ContextVar("review_deciding", default=frozenset())


@contextmanager
def deciding(record_id: int) -> Iterator[None]:
    token = _DECIDING.set(_DECIDING.get() | {record_id})
    try:
        yield
    finally:
        _DECIDING.reset(token)


def due_for(entered_at: datetime) -> datetime:
    """One working day after ``entered_at`` (England and Wales bank holidays excluded)."""
    return add_working_days(entered_at, 1)


def _is_force_record(record: Record) -> bool:
    return bool(record.organisation.kind == OrganisationKind.POLICE_FORCE)


# ---------------------------------------------------------------------------
# Queueing
# ---------------------------------------------------------------------------


def open_item_for(record: Record) -> ReviewItem | None:
    return ReviewItem.objects.filter(record_id=record.pk, status__in=OPEN_STATUSES).first()


def _enqueue(*, record: Record, reason: str, actor: User | None) -> ReviewItem:
    """The record's open item, or a new one due in one working day."""
    existing = open_item_for(record)
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        # A savepoint: two transactions enqueuing at once meet the one-open-item constraint.
        with transaction.atomic():
            item = ReviewItem.objects.create(
                record=record, organisation_id=record.organisation_id, reason=reason,
                entered_at=now, due_at=due_for(now),
            )
    except IntegrityError:
        found = open_item_for(record)
        if found is None:
            raise
        return found
    audit_event_write(
        actor=actor, action=actions.REVIEW_ENQUEUE, target=item, target_label=record.reference,
        record_id=record.pk, changes={"reason": reason, "due_at": item.due_at.isoformat()},
    )
    return item


def on_record_changed(sender: Any, *, record: Record, actor: Any, change: str, **kwargs: Any) -> None:
    """Receiver of cases.signals.record_changed: flagged force records enter the review queue.

    A record enters when it is recorded with strands (created, or a draft becoming recorded) and
    whenever its strands change afterwards. Drafts wait until they are recorded.
    """
    if change not in (signals.CREATED, signals.STRANDS, signals.STATUS):
        return
    if record.pk in _DECIDING.get() or record.status == RecordStatus.DRAFT or not _is_force_record(record):
        return
    if not RecordStrand.objects.filter(record_id=record.pk).exists():
        return
    if change == signals.STATUS and ReviewItem.objects.filter(record_id=record.pk).exists():
        # Only the first recording (draft -> recorded) queues; later status moves do not.
        return
    _enqueue(record=record, reason=ReviewReason.FLAGGED, actor=actor if getattr(actor, "pk", None) else None)


def on_records_created(sender: Any, *, record_ids: list[int], actor: Any, **kwargs: Any) -> None:
    """Receiver of cases.signals.records_created (imports): the same rule as ``on_record_changed``
    for a new record, for many at once in a fixed number of queries. Flagged, recorded records of a
    police force enter the queue, each with its ``review.enqueue`` audit event."""
    if not record_ids:
        return
    queued = list(
        Record.objects.filter(pk__in=record_ids, organisation__kind=OrganisationKind.POLICE_FORCE)
        .exclude(status=RecordStatus.DRAFT)
        .filter(Exists(RecordStrand.objects.filter(record_id=OuterRef("pk"))))
        .exclude(Exists(ReviewItem.objects.filter(record_id=OuterRef("pk"), status__in=OPEN_STATUSES)))
        .order_by("pk").values_list("pk", "organisation_id", "reference")
    )
    if not queued:
        return
    now = timezone.now()
    due_at = due_for(now)
    items = ReviewItem.objects.bulk_create([
        ReviewItem(record_id=pk, organisation_id=organisation_id, reason=ReviewReason.FLAGGED,
                   entered_at=now, due_at=due_at)
        for pk, organisation_id, _ in queued
    ])
    audit_events_write_many(
        actor=actor if getattr(actor, "pk", None) else None,
        events=[
            PendingEvent(
                action=actions.REVIEW_ENQUEUE, target_type=ReviewItem._meta.label_lower, target_id=str(item.pk),
                target_label=reference, record_id=pk,
                changes={"reason": ReviewReason.FLAGGED, "due_at": due_at.isoformat()},
            )
            for item, (pk, _, reference) in zip(items, queued, strict=True)
        ],
    )


@transaction.atomic
def suggestion_add(
    *,
    record: Record,
    kind: str,
    strand_code: str = "",
    probability: float,
    source: str,
    source_name: str,
    source_version: str,
    explanation: dict[str, Any],
) -> Suggestion:
    """Stores what screening suggests about a record and puts it in its force's review queue.

    Idempotent per (record, kind, strand_code, source_version): the same suggestion from the same
    model or rule version is returned, not repeated. Records of organisations other than police
    forces keep the suggestion but are not queued (the hub reviews its own force's records).
    """
    if kind not in SuggestionKind.values:
        raise ValidationError({"kind": f"Unknown suggestion kind {kind!r}."})
    if source not in SuggestionSource.values:
        raise ValidationError({"source": f"Unknown suggestion source {source!r}."})
    if not 0.0 <= probability <= 1.0:
        raise ValidationError({"probability": "A probability is between 0 and 1."})
    if kind == SuggestionKind.STRAND and not strand_code:
        raise ValidationError({"strand_code": "A strand suggestion names its strand."})
    if not source_name or not source_version:
        raise ValidationError({"source_version": "Say which model or rule, and which version, made the suggestion."})
    lookup = {"record_id": record.pk, "kind": kind, "strand_code": strand_code, "source_version": source_version}
    existing = Suggestion.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    record = Record.objects.select_related("organisation").get(pk=record.pk)
    item = None
    if _is_force_record(record) and record.status != RecordStatus.DRAFT:
        item = _enqueue(record=record, reason=ReviewReason.SUGGESTION, actor=None)
    ciphertext = encrypt(
        json.dumps(explanation, ensure_ascii=False), organisation_id=record.organisation_id, column=EXPLANATION_COLUMN
    ) or ""
    try:
        with transaction.atomic():
            suggestion = Suggestion.objects.create(
                record=record, item=item, kind=kind, strand_code=strand_code, probability=probability,
                source=source, source_name=source_name, source_version=source_version, explanation=ciphertext,
            )
    except IntegrityError:
        return Suggestion.objects.get(**lookup)
    audit_event_write(
        actor=None, action=actions.REVIEW_SUGGESTION_ADD, target=suggestion, target_label=record.reference,
        record_id=record.pk,
        changes={
            "kind": kind, "strand": strand_code or None, "probability": round(probability, 4), "source": source,
            "source_name": source_name, "source_version": source_version, "item": item.pk if item else None,
            "explanation": "set (encrypted)",
        },
    )
    return suggestion


@decrypts
def suggestion_explanation(suggestion: Suggestion) -> dict[str, Any]:
    """The decrypted explanation; for selectors showing it to an entitled reviewer."""
    if not suggestion.explanation:
        return {}
    data = json.loads(decrypt(suggestion.explanation, column=EXPLANATION_COLUMN) or "{}")
    return data if isinstance(data, dict) else {}


# ---------------------------------------------------------------------------
# Claiming
# ---------------------------------------------------------------------------


def _require_reviewer(actor: User, item: ReviewItem) -> None:
    if item.organisation_id != getattr(actor, "organisation_id", None):
        raise ReviewItem.DoesNotExist  # another force's item: do not reveal it exists
    if not can_review(actor):
        raise PermissionDenied("Only the hub's reviewers and supervisors work the review queue.")


@transaction.atomic
def item_claim(*, actor: User, item: ReviewItem) -> ReviewItem:
    """Claims an open item for ``actor``. Two reviewers claiming at once: one wins, the other is told."""
    _require_reviewer(actor, item)
    now = timezone.now()
    # One conditional UPDATE: the database lets exactly one claimant through.
    won = ReviewItem.objects.filter(pk=item.pk, status=ItemStatus.OPEN, claimed_by__isnull=True).update(
        status=ItemStatus.CLAIMED, claimed_by=actor, claimed_at=now
    )
    fresh = ReviewItem.objects.select_related("claimed_by", "record").get(pk=item.pk)
    if not won:
        if fresh.status == ItemStatus.DECIDED:
            raise ValidationError({"item": "This item has already been decided."})
        if fresh.claimed_by_id == actor.pk:
            return fresh
        who = fresh.claimed_by.display_name if fresh.claimed_by else "Another reviewer"
        raise ValidationError({"item": f"{who} claimed this item first. Choose another item from the queue."})
    audit_event_write(
        actor=actor, action=actions.REVIEW_CLAIM, target=fresh, target_label=fresh.record.reference,
        record_id=fresh.record_id, changes={"claimed_by": actor.pk},
    )
    return fresh


@transaction.atomic
def item_release(*, actor: User, item: ReviewItem) -> ReviewItem:
    """Puts a claimed item back in the queue: by its claimant, or by a supervisor."""
    _require_reviewer(actor, item)
    item = ReviewItem.objects.select_for_update().select_related("record").get(pk=item.pk)
    if item.status != ItemStatus.CLAIMED:
        raise ValidationError({"item": "This item is not claimed."})
    if item.claimed_by_id != actor.pk and actor.role != "supervisor":
        raise ValidationError({"item": "Only the reviewer who claimed this item, or a supervisor, can release it."})
    previous = item.claimed_by_id
    item.status, item.claimed_by, item.claimed_at = ItemStatus.OPEN, None, None
    item.save(update_fields=["status", "claimed_by", "claimed_at"])
    audit_event_write(
        actor=actor, action=actions.REVIEW_RELEASE, target=item, target_label=item.record.reference,
        record_id=item.record_id, changes={"claimed_by": {"from": previous, "to": None}},
    )
    return item


# ---------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NchiAnswers:
    """The 2023 NCHI Code's threshold for keeping the subject's personal data."""

    risk_of_harm: bool  # real risk of significant harm to people with the characteristic
    risk_of_offence: bool  # real risk that a future criminal offence may be committed
    expression_considered: bool  # freedom of expression weighed (Miller)
    # Whether a subject whose details are kept is told (SubjectNotification); "" otherwise.
    subject_notification: str = ""

    @property
    def keeps_subject_data(self) -> bool:
        return self.risk_of_harm or self.risk_of_offence


@dataclass(frozen=True)
class AssessmentInput:
    """A reviewer's evidential assessment of one strand on the record (never its removal)."""

    strand_id: int
    assessment: str
    reason: str


@dataclass(frozen=True)
class SubCategoryInput:
    """A corrected sub-category (None: no sub-category) for one strand on the record."""

    strand_id: int
    sub_category: Code | None


@dataclass(frozen=True)
class DecisionInput:
    row_version: int
    kind: str
    is_online: bool
    add_strands: tuple[StrandInput, ...] = ()
    assessments: tuple[AssessmentInput, ...] = ()
    sub_categories: tuple[SubCategoryInput, ...] = ()
    nchi: NchiAnswers | None = None
    accepted_suggestion_ids: tuple[int, ...] = ()
    note: str = ""


def _subject_notification(record: Record, nchi: NchiAnswers | None) -> str:
    """The notification decision as kept: only where the subject's details stay on the record."""
    if nchi is None or not nchi.keeps_subject_data:
        return ""
    if not RecordPerson.objects.filter(record=record, role=PersonRole.SUBJECT).exists():
        return ""
    return nchi.subject_notification


def _strand_label(strand: StrandInput) -> dict[str, Any]:
    return {"strand": strand.strand.code, "sub_category": strand.sub_category.code if strand.sub_category else None}


def _check_decision(item: ReviewItem, record: Record, data: DecisionInput, actor: User) -> dict[int, RecordStrand]:
    errors: dict[str, str] = {}
    if not item.is_open:
        raise ValidationError({"item": "This item has already been decided."})
    if item.claimed_by_id is not None and item.claimed_by_id != actor.pk:
        raise ValidationError({"item": "Another reviewer has claimed this item."})
    if record.row_version != data.row_version:
        raise ValidationError(
            {"row_version": "Someone changed this record while you were reviewing it. Reload it and decide again."}
        )
    current = {
        row.pk: row for row in RecordStrand.objects.filter(record=record).select_related("strand", "sub_category", "perceiver")
    }
    if not {c.strand_id for c in data.sub_categories} <= set(current):
        errors["strands"] = "Correct sub-categories only of strands on this record."
    assessed = [a.strand_id for a in data.assessments]
    if not set(assessed) <= set(current) or len(assessed) != len(set(assessed)):
        errors["assessments"] = "Assess each strand on this record at most once."
    for entry in data.assessments:
        if entry.assessment not in EvidentialAssessment.values:
            errors[f"assess_{entry.strand_id}"] = "Choose supported, not supported or more information needed."
        elif not entry.reason.strip():
            row = current.get(entry.strand_id)
            label = row.strand.label if row else "this strand"
            errors[f"assess_{entry.strand_id}_reason"] = f"Enter the reason for your assessment of {label}."
    if data.kind not in RecordKind.values:
        errors["kind"] = "Choose a hate crime, a non-crime hate incident or other crime."
    elif current and data.kind not in HATE_KINDS:
        # The perception test decides recording: a perceived strand keeps the record a hate crime
        # or incident, whatever the reviewer makes of the evidence.
        errors["kind"] = (
            "A strand the victim or someone else perceived keeps this a hate crime or non-crime hate incident. "
            "Record your evidential assessment of the strand instead."
        )
    if data.kind in HATE_KINDS and not current and not data.add_strands:
        errors["kind"] = "A hate crime or non-crime hate incident needs at least one strand: add one, or change the kind."
    if data.kind == RecordKind.NCHI:
        if data.nchi is None:
            errors["nchi_risk_of_harm"] = "Answer the NCHI recording thresholds for a non-crime hate incident."
        elif not data.nchi.expression_considered:
            errors["nchi_expression_considered"] = "Confirm that you have considered freedom of expression."
        elif (data.nchi.keeps_subject_data and data.nchi.subject_notification not in SubjectNotification.values
              and RecordPerson.objects.filter(record=record, role=PersonRole.SUBJECT).exists()):
            errors["nchi_subject_notification"] = (
                "Choose whether the subject is told that the incident was recorded: their details are kept."
            )
    if errors:
        raise ValidationError(errors)
    return current


@decrypts
def _record_update_kind_online(*, actor: User, record: Record, kind: str, is_online: bool) -> Record:
    """record_update with every other field as it is (the service replaces them all)."""
    return cases_services.record_update(
        actor=actor,
        record=record,
        row_version=record.row_version,
        kind=kind,
        reported_at=record.reported_at,
        narrative=decrypt(record.narrative, column=NARRATIVE_COLUMN),
        occurred_from=record.occurred_from,
        occurred_to=record.occurred_to,
        location=cases_services.record_place(record),
        flags=FlagsInput(
            is_online=is_online, is_domestic_abuse=record.is_domestic_abuse, is_asb_related=record.is_asb_related,
            is_alcohol_drug_related=record.is_alcohol_drug_related,
        ),
        team_id=record.team_id,
    )


@transaction.atomic
def item_decide(*, actor: User, item: ReviewItem, data: DecisionInput) -> Decision:
    """Applies a reviewer's decision to the record (through the cases services) and records it.

    The reviewer adds strands and records an evidential assessment of the ones there; no strand
    the victim or anyone else perceived is removed. Strands are added before the kind and online
    flag change, so the record stays visible to the hub reviewer making the change throughout.
    For a non-crime hate incident with neither real risk (NCHI Code 2023), the subject's
    personal data is removed.
    """
    _require_reviewer(actor, item)
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    record = Record.objects.select_related("organisation", "borough", "location_type", "online_platform").get(
        pk=item.record_id
    )
    current = _check_decision(item, record, data, actor)
    kind_from, online_from = record.kind, record.is_online
    corrections = [
        c for c in data.sub_categories
        if current[c.strand_id].sub_category_id != (c.sub_category.pk if c.sub_category else None)
    ]
    # An assessment sits beside the recording and does not change it ("confirmed as recorded" stays true).
    changes_record = bool(
        data.add_strands or corrections or data.kind != kind_from or data.is_online != online_from
    )
    if changes_record and not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise ValidationError(
            {"item": "Hub reviewers can change only records that already carry a strand. Ask a supervisor to "
                     "decide this item, or confirm it as it is."}
        )
    assessment_summaries = [
        {"strand": current[entry.strand_id].strand.code, "assessment": entry.assessment} for entry in data.assessments
    ]
    with deciding(record.pk):
        try:
            for strand in data.add_strands:
                cases_services.record_add_strand(actor=actor, record=record, strand=strand)
            for correction in corrections:
                cases_services.strand_correct_sub_category(
                    actor=actor, record=record, strand_id=correction.strand_id, sub_category=correction.sub_category
                )
            if data.kind != kind_from or data.is_online != online_from:
                record = _record_update_kind_online(actor=actor, record=record, kind=data.kind, is_online=data.is_online)
            for entry in data.assessments:
                cases_services.strand_assess(
                    actor=actor, record=record, strand_id=entry.strand_id, assessment=entry.assessment,
                    reason=entry.reason,
                )
        except Record.DoesNotExist:
            raise ValidationError({"item": "You cannot change this record."}) from None
        removed_people = 0
        nchi = data.nchi if data.kind == RecordKind.NCHI else None
        if nchi is not None and not nchi.keeps_subject_data:
            removed_people = record_remove_subject_data(actor=actor, record=record, reason=NCHI_REMOVAL_REASON)

    suggestion_ids = list(Suggestion.objects.filter(record_id=record.pk, item=item).values_list("pk", flat=True))
    accepted = sorted(set(data.accepted_suggestion_ids) & set(suggestion_ids))
    rejected = sorted(set(suggestion_ids) - set(accepted))
    subject_removed = nchi is not None and not nchi.keeps_subject_data
    changed = changes_record or subject_removed
    now = timezone.now()
    decision = Decision.objects.create(
        item=item,
        record_id=record.pk,
        reviewer=actor,
        decided_at=now,
        outcome=DecisionOutcome.CHANGED if changed else DecisionOutcome.CONFIRMED,
        strands_added=[_strand_label(s) for s in data.add_strands],
        strand_assessments=assessment_summaries,
        strands_added_count=len(data.add_strands),
        strands_not_supported_count=sum(
            1 for entry in data.assessments if entry.assessment == EvidentialAssessment.NOT_SUPPORTED
        ),
        kind_from=kind_from,
        kind_to=data.kind,
        online_from=online_from,
        online_to=data.is_online,
        note=encrypt(data.note.strip(), organisation_id=record.organisation_id, column=NOTE_COLUMN) or ""
        if data.note.strip() else "",
        nchi_risk_of_harm=nchi.risk_of_harm if nchi else None,
        nchi_risk_of_offence=nchi.risk_of_offence if nchi else None,
        nchi_expression_considered=nchi.expression_considered if nchi else None,
        subject_data_removed=subject_removed,
        subject_notification=_subject_notification(record, nchi),
        subjects_affected=removed_people,
        suggestions_accepted=accepted,
        suggestions_rejected=rejected,
    )
    ReviewItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.DECIDED, decided_at=now, claimed_by=item.claimed_by_id or actor.pk,
        claimed_at=item.claimed_at or now,
    )
    audit_event_write(
        actor=actor, action=actions.REVIEW_DECIDE, target=decision, target_label=record.reference,
        record_id=record.pk,
        changes={
            "item": item.pk,
            "outcome": decision.outcome,
            "strands_added": decision.strands_added,
            "strand_assessments": decision.strand_assessments,
            "sub_categories_corrected": [
                {"strand": current[c.strand_id].strand.code, "to": c.sub_category.code if c.sub_category else None}
                for c in corrections
            ],
            "kind": {"from": kind_from, "to": data.kind},
            "online": {"from": online_from, "to": data.is_online},
            "nchi": None if nchi is None else {
                "risk_of_harm": nchi.risk_of_harm, "risk_of_offence": nchi.risk_of_offence,
                "expression_considered": nchi.expression_considered,
            },
            "subject_data": "removed" if subject_removed else "kept",
            "subject_notification": decision.subject_notification,
            "suggestions_accepted": accepted,
            "suggestions_rejected": rejected,
            "note": "set" if data.note.strip() else "empty",
            "within_due": now <= item.due_at,
        },
    )
    return decision
