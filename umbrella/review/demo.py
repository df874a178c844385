"""Demo data for the hub review: the last ten days of the force's flagged records in the queue.

Older items are mostly decided (most on time, some late, a few setting the online flag the
officer missed), so the dashboard has figures; the newest are open, and a few old ones are left
overdue. Rows are bulk-inserted; every decision that changed a record changes it for real, and
the audit chain gets the same events the services write (in bulk).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from umbrella.accounts.models import Role, User
from umbrella.agencies.models import OrganisationKind
from umbrella.audit.services import PendingEvent, audit_events_write_many
from umbrella.cases import actions as record_actions
from umbrella.cases.models import (
    ASSESSMENT_REASON_COLUMN,
    PersonRole,
    Record,
    RecordKind,
    RecordPerson,
    RecordStatus,
    RecordStrand,
    StrandAssessment,
)
from umbrella.crypto.fields import encrypt
from umbrella.review import actions
from umbrella.review.models import (
    Decision,
    DecisionOutcome,
    ItemStatus,
    ReviewItem,
    ReviewReason,
    SubjectNotification,
)
from umbrella.review.services import due_for

# The demo's records end with the previous month, so the window reaches back far enough for the
# dashboard's 12-week trend; all but a small backlog of older items has been decided.
WINDOW_DAYS = 91
OLD_DECIDED_SHARE = 0.97
DECIDED_SHARE = 0.85
LATE_SHARE = 0.15
ONLINE_FIX_SHARE = 0.06
# Decisions that record an evidential assessment of each strand (beside the perception, which stays).
ASSESSED_SHARE = 0.6
ASSESSMENTS = (
    ("supported", 0.8, ("Witness statement repeats the words used.", "CCTV shows the abuse described.",
                        "Messages quoted by the victim were seen by the officer.")),
    ("more_information", 0.12, ("Waiting for the CCTV from the bus company.", "Witness not yet spoken to.")),
    ("not_supported", 0.08, ("Nothing in the statements points to this strand; the victim's perception stands.",)),
)


def _reviewers() -> dict[int, User]:
    found: dict[int, User] = {}
    for user in User.objects.filter(role=Role.HUB_REVIEWER, is_active=True, organisation__kind=OrganisationKind.POLICE_FORCE).order_by("pk"):
        assert user.organisation_id is not None
        found.setdefault(user.organisation_id, user)
    return found


@transaction.atomic
def load_demo(*, seed: int, now: datetime) -> str:
    reviewers = _reviewers()
    if not reviewers:
        return "review: no hub reviewer in any force; nothing queued"
    rng = random.Random(seed * 7919 + 5)
    # The window's flagged records, and every older non-crime hate incident that names a subject:
    # the hub decided each against the NCHI Code's threshold when it came in, so none keeps a
    # subject's identity without a decision that it may.
    in_window = Q(reported_at__gte=now - timedelta(days=WINDOW_DAYS))
    older_nchi_with_subject = Q(kind=RecordKind.NCHI) & Exists(
        RecordPerson.objects.filter(record=OuterRef("pk"), role=PersonRole.SUBJECT))
    records = list(
        Record.objects.filter(organisation_id__in=list(reviewers), reported_at__lte=now)
        .filter(in_window | older_nchi_with_subject)
        .exclude(status=RecordStatus.DRAFT)
        .filter(Exists(RecordStrand.objects.filter(record=OuterRef("pk"))))
        .exclude(Exists(ReviewItem.objects.filter(record=OuterRef("pk"))))
        .only("pk", "organisation_id", "reference", "reported_at", "kind", "is_online")
        .order_by("reported_at", "pk")
    )
    if not records:
        return "review: queue already loaded; nothing added"
    items: list[ReviewItem] = []
    plans: list[tuple[Record, ReviewItem, datetime | None, bool]] = []
    for record in records:
        entered = min(record.reported_at + timedelta(minutes=rng.randint(10, 180)), now)
        due = due_for(entered)
        decided_at: datetime | None = None
        share = OLD_DECIDED_SHARE if due < now - timedelta(days=14) else DECIDED_SHARE
        if due < now - timedelta(hours=2) and rng.random() < share:
            if rng.random() < LATE_SHARE:
                decided_at = min(due + timedelta(hours=rng.randint(1, 30)), now)
            else:
                decided_at = entered + (due - entered) * rng.uniform(0.1, 0.95)
        fix_online = decided_at is not None and not record.is_online and rng.random() < ONLINE_FIX_SHARE
        reviewer = reviewers[record.organisation_id]
        item = ReviewItem(
            record_id=record.pk, organisation_id=record.organisation_id, reason=ReviewReason.FLAGGED,
            entered_at=entered, due_at=due,
            status=ItemStatus.DECIDED if decided_at else ItemStatus.OPEN,
            claimed_by=reviewer if decided_at else None, claimed_at=decided_at, decided_at=decided_at,
        )
        items.append(item)
        plans.append((record, item, decided_at, fix_online))
    ReviewItem.objects.bulk_create(items, batch_size=1000)

    decided_ids = [record.pk for record, _, decided_at, _ in plans if decided_at is not None]
    strands_of: dict[int, list[tuple[int, str, str | None, str]]] = {}
    for pk, record_id, strand, sub_category, perceiver in RecordStrand.objects.filter(
        record_id__in=decided_ids
    ).order_by("pk").values_list("pk", "record_id", "strand__code", "sub_category__code", "perceiver__code"):
        strands_of.setdefault(record_id, []).append((pk, strand, sub_category, perceiver))
    with_subject = set(RecordPerson.objects.filter(record_id__in=decided_ids, role=PersonRole.SUBJECT)
                       .values_list("record_id", flat=True))
    assessments: list[StrandAssessment] = []
    decisions: list[Decision] = []
    nchi_of: dict[int, tuple[bool, bool]] = {}
    online_ids: list[int] = []
    events: dict[int, list[PendingEvent]] = {}
    # Queueing is the system's doing (as when the signal fires on an import); decisions the reviewer's.
    queued: list[PendingEvent] = []
    for record, item, decided_at, fix_online in plans:
        reviewer = reviewers[record.organisation_id]
        batch = events.setdefault(reviewer.pk, [])
        queued.append(PendingEvent(
            action=actions.REVIEW_ENQUEUE, target_type="review.reviewitem", target_id=str(item.pk),
            target_label=record.reference, record_id=record.pk,
            changes={"reason": item.reason, "due_at": item.due_at.isoformat()},
        ))
        if decided_at is None:
            continue
        if fix_online:
            online_ids.append(record.pk)
            batch.append(PendingEvent(
                action=record_actions.RECORD_UPDATE, target_type="cases.record", target_id=str(record.pk),
                target_label=record.reference, record_id=record.pk,
                changes={"is_online": {"from": False, "to": True}},
            ))
        assessed: list[dict[str, str]] = []
        if rng.random() < ASSESSED_SHARE:
            for strand_pk, strand_code, sub_code, perceiver_code in strands_of.get(record.pk, []):
                assessment, reasons = _pick_assessment(rng)
                assessments.append(StrandAssessment(
                    record_id=record.pk, record_strand_id=strand_pk, assessment=assessment, assessed_by=reviewer,
                    assessed_at=decided_at, reason=encrypt(
                        rng.choice(reasons), organisation_id=record.organisation_id, column=ASSESSMENT_REASON_COLUMN
                    ) or "",
                ))
                assessed.append({"strand": strand_code, "assessment": assessment})
                batch.append(PendingEvent(
                    action=record_actions.RECORD_STRAND_ASSESS, target_type="cases.record", target_id=str(record.pk),
                    target_label=record.reference, record_id=record.pk,
                    changes={"strand": {"strand": strand_code, "sub_category": sub_code, "perceiver": perceiver_code},
                             "assessment": assessment, "reason": "set (encrypted)"},
                ))
        nchi: tuple[bool, bool] | None = None
        if record.kind == RecordKind.NCHI:
            # The NCHI Code 2023's threshold: a real risk of significant harm, or of a future offence.
            nchi = (rng.random() < NCHI_RISK_OF_HARM, rng.random() < NCHI_RISK_OF_OFFENCE)
            nchi_of[record.pk] = nchi
        decisions.append(Decision(
            item=item, record_id=record.pk, reviewer=reviewer, decided_at=decided_at,
            outcome=DecisionOutcome.CHANGED if fix_online else DecisionOutcome.CONFIRMED,
            kind_from=record.kind, kind_to=record.kind, online_from=record.is_online,
            nchi_risk_of_harm=nchi[0] if nchi else None, nchi_risk_of_offence=nchi[1] if nchi else None,
            nchi_expression_considered=True if nchi else None,
            subject_notification=_subject_notification(seed, record.pk, nchi, record.pk in with_subject),
            online_to=record.is_online or fix_online, strand_assessments=assessed,
            strands_not_supported_count=sum(1 for a in assessed if a["assessment"] == "not_supported"),
        ))
    Decision.objects.bulk_create(decisions, batch_size=1000)
    StrandAssessment.objects.bulk_create(assessments, batch_size=1000)
    if online_ids:
        Record.objects.filter(pk__in=online_ids).update(is_online=True, row_version=F("row_version") + 1)
    removed = _remove_subjects_below_threshold(decisions, nchi_of, reviewers)
    by_item = {d.item_id: d for d in decisions}
    for record, item, decided_at, _ in plans:
        decision = by_item.get(item.pk)
        if decision is None:
            continue
        events[reviewers[record.organisation_id].pk].append(PendingEvent(
            action=actions.REVIEW_DECIDE, target_type="review.decision", target_id=str(decision.pk),
            target_label=record.reference, record_id=record.pk,
            changes={
                "item": item.pk, "outcome": decision.outcome, "strands_added": [], "strand_assessments": decision.strand_assessments,
                "kind": {"from": decision.kind_from, "to": decision.kind_to},
                "online": {"from": decision.online_from, "to": decision.online_to},
                "nchi": None if record.pk not in nchi_of else {
                    "risk_of_harm": nchi_of[record.pk][0], "risk_of_offence": nchi_of[record.pk][1],
                    "expression_considered": True},
                "subject_data": "removed" if decision.subject_data_removed else "kept",
                "subject_notification": decision.subject_notification,
                "suggestions_accepted": [], "suggestions_rejected": [],
                "note": "empty", "within_due": bool(decided_at and decided_at <= item.due_at),
            },
        ))
    audit_events_write_many(actor=None, events=queued)
    for reviewer_id, pending in events.items():
        audit_events_write_many(actor=User.objects.get(pk=reviewer_id), events=pending)
    open_count = len(items) - len(decisions)
    return (
        f"review: {len(items)} flagged records queued, {len(decisions)} decided "
        f"({len(online_ids)} online flags set, {len(assessments)} strands evidentially assessed, {removed} non-crime "
        f"hate incidents' subject data removed under the NCHI Code), {open_count} open"
    )


NCHI_RISK_OF_HARM = 0.2
NCHI_RISK_OF_OFFENCE = 0.15
# Of the kept subjects, those not told because telling them would put the reporter at risk.
NOT_TOLD_FOR_SAFEGUARDING = 0.2


def _subject_notification(seed: int, record_id: int, nchi: tuple[bool, bool] | None, names_subject: bool) -> str:
    """The hub's decision whether a kept subject is told; its own random stream per record, so
    the demo's other draws stay as they were."""
    if nchi is None or not any(nchi) or not names_subject:
        return ""
    told = random.Random(f"{seed}-subject-notification-{record_id}").random() >= NOT_TOLD_FOR_SAFEGUARDING
    return SubjectNotification.TELL if told else SubjectNotification.WITHHOLD_SAFEGUARDING


def _remove_subjects_below_threshold(
    decisions: list[Decision], nchi_of: dict[int, tuple[bool, bool]], reviewers: dict[int, User]
) -> int:
    """For each decided non-crime hate incident with neither real risk, the subject's personal data
    is removed through the cases service (audited), as the hub's decision on the page does."""
    from umbrella.cases.nchi import record_remove_subject_data
    from umbrella.review.services import NCHI_REMOVAL_REASON

    removed = 0
    records = Record.objects.in_bulk([d.record_id for d in decisions if d.record_id in nchi_of])
    with_subject = set(RecordPerson.objects.filter(record_id__in=list(records), role=PersonRole.SUBJECT)
                       .values_list("record_id", flat=True))
    for decision in decisions:
        risks = nchi_of.get(decision.record_id)
        if risks is None or any(risks) or decision.record_id not in with_subject:
            continue
        record = records[decision.record_id]
        affected = record_remove_subject_data(actor=reviewers[record.organisation_id], record=record,
                                              reason=NCHI_REMOVAL_REASON)
        Decision.objects.filter(pk=decision.pk).update(subject_data_removed=True, subjects_affected=affected)
        decision.subject_data_removed, decision.subjects_affected = True, affected
        removed += 1
    return removed


def _pick_assessment(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    roll = rng.random()
    for assessment, share, reasons in ASSESSMENTS:
        if roll < share:
            return assessment, reasons
        roll -= share
    return ASSESSMENTS[0][0], ASSESSMENTS[0][2]
