"""Every write of the retention schedule and its reviews: raising reviews at review points,
retaining with a reason and a next review date, disposing of a record's personal data (unless a
legal hold or another app's open work keeps it), and legal holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.cases.choices import RecordStatus
from umbrella.cases.disposal import record_anonymise, record_dispose
from umbrella.cases.models import Record, RecordKind
from umbrella.core.dates import months_old_cutoff
from umbrella.core.extensions import retention_blockers
from umbrella.retention import actions
from umbrella.retention.models import (
    PART_TARGETS,
    REPORTS_ENDED,
    Decision,
    DisposalEntry,
    LegalHold,
    RecordPart,
    RetentionReview,
    RetentionRule,
    ReviewStatus,
)
from umbrella.retention.policy import can_keep_schedule, can_review_retention

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def current_rules() -> list[RetentionRule]:
    return list(RetentionRule.objects.filter(superseded_at=None))


@transaction.atomic
def rule_set(*, actor: User, record_kind: str, organisation_kind: str, review_after_months: int, basis: str,
             verified: bool, outcome_group: str = "", offence_group: str = "",
             offences: Sequence[str] = ()) -> RetentionRule:
    """A new version of one line of the schedule; the one it replaces is kept, superseded."""
    if not can_keep_schedule(actor):
        raise PermissionDenied("Only a system administrator changes the retention schedule.")
    from umbrella.agencies.models import OrganisationKind

    errors: dict[str, str] = {}
    if record_kind not in (*RecordKind.values, REPORTS_ENDED, *RecordPart.values):
        errors["record_kind"] = "Choose which records the line covers"
    elif record_kind not in RecordKind.values and (outcome_group or offence_group.strip() or offences):
        # Closed reports and parts of records are not crimes with outcomes or offences.
        named = "reports closed without a record" if record_kind == REPORTS_ENDED else "a part of records"
        errors["record_kind"] = f"A line for {named} cannot name an outcome or offences"
    if organisation_kind and organisation_kind not in OrganisationKind.values:
        errors["organisation_kind"] = "Choose the kind of organisation that holds them, or any organisation"
    if outcome_group and outcome_group not in _current_code_values("outcome_group"):
        errors["outcome_group"] = "Choose an outcome group from the list, or any outcome"
    offence_group = offence_group.strip()
    chosen = sorted(set(offences))
    if offence_group and not chosen:
        errors["offences"] = "Choose the offences in the group"
    elif chosen and not offence_group:
        errors["offence_group"] = "Enter the name of the group of offences"
    elif set(chosen) - _current_code_values("offence"):
        errors["offences"] = "Choose offences from the list"
    if not 1 <= review_after_months <= 1200:
        errors["review_after_months"] = "Enter a number of months from 1 to 1,200"
    if not basis.strip():
        errors["basis"] = "Enter the policy or law the period comes from"
    if errors:
        raise ValidationError(errors)
    current = RetentionRule.objects.select_for_update().filter(
        record_kind=record_kind, organisation_kind=organisation_kind, outcome_group=outcome_group,
        offence_group=offence_group, superseded_at=None).first()
    if current is not None:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    rule = RetentionRule.objects.create(
        record_kind=record_kind, organisation_kind=organisation_kind, outcome_group=outcome_group,
        offence_group=offence_group, offences=chosen, review_after_months=review_after_months, basis=basis.strip(), verified=verified,
        version=(current.version + 1) if current else 1, set_by=actor)
    audit_event_write(actor=actor, action=actions.RETENTION_RULE_SET, target=rule, target_label=str(rule),
                      changes={"record_kind": record_kind, "organisation_kind": organisation_kind,
                               "outcome_group": outcome_group, "offence_group": offence_group,
                               "offences": chosen, "review_after_months": review_after_months, "verified": verified,
                               "version": rule.version})
    return rule


def _current_code_values(scheme: str) -> set[str]:
    from umbrella.reference.selectors import current_codes

    return set(current_codes(scheme=scheme).values_list("code", flat=True))


def _rule_for(rules: Sequence[RetentionRule], record_kind: str, organisation_kind: str,
              outcome_group: str = "", offences: frozenset[str] = frozenset()) -> RetentionRule | None:
    """The most specific line a record matches. Its holders' own lines come before the lines for
    any organisation; within each, a group holding one of its offences (the longest such line, when
    its offences fall in several groups: the more serious keeps it longer), then the line for its
    outcome's group, then the line for any outcome and offence."""
    for holders in (organisation_kind, ""):
        own = [rule for rule in rules if rule.record_kind == record_kind and rule.organisation_kind == holders]
        by_offence = [rule for rule in own if rule.offence_group and offences & set(rule.offences)
                      and rule.outcome_group in ("", outcome_group)]
        if by_offence:
            return max(by_offence, key=lambda rule: (rule.review_after_months, bool(rule.outcome_group)))
        for outcome in ((outcome_group, "") if outcome_group else ("",)):
            for rule in own:
                if not rule.offence_group and rule.outcome_group == outcome:
                    return rule
    return None


@transaction.atomic
def reviews_raise(*, actor: User | None, today: date) -> int:
    """Raises a review for every record at or past its review point: reported at least its line's
    months ago, or past the next review date a retained review set, with no review open, not under
    a legal hold and not disposed of. Returns how many were raised. Idempotent on a day.

    The records old enough for the shortest line that could apply are read (with their latest
    outcome's group and their offences where some line is for one), and each is held to its own
    line (``_rule_for``)."""
    from umbrella.agencies.models import OrganisationKind
    from umbrella.outcomes.selectors import latest_outcome_groups

    rules = current_rules()
    raised = 0
    kinds = sorted({rule.record_kind for rule in rules} & set(RecordKind.values))
    for record_kind in kinds:
        for organisation_kind in OrganisationKind.values:
            lines = [r for r in rules if r.record_kind == record_kind and r.organisation_kind in (organisation_kind, "")]
            if not lines:
                continue
            due = (
                Record.objects.filter(kind=record_kind, organisation__kind=organisation_kind,
                                      reported_at__lt=months_old_cutoff(today, min(r.review_after_months for r in lines)),
                                      disposed_at=None, anonymised_at=None)
                .exclude(status=RecordStatus.DRAFT)
                .exclude(retention_reviews__status=ReviewStatus.OPEN)
                .exclude(retention_reviews__next_review_on__gt=today)
                .exclude(Q(legal_holds__isnull=False) & Q(legal_holds__lifted_at=None))
                .order_by("pk").values_list("pk", "reported_at").distinct()
            )
            reviews: list[RetentionReview] = []
            by_outcome = any(r.outcome_group for r in lines)
            by_offence = any(r.offence_group for r in lines)
            for chunk in _chunks(list(due), 2000):
                ids = [pk for pk, _ in chunk]
                groups = latest_outcome_groups(record_ids=ids) if by_outcome else {}
                offences = _offences_of(ids) if by_offence else {}
                for record_id, reported_at in chunk:
                    rule = _rule_for(lines, record_kind, organisation_kind, groups.get(record_id, ""),
                                     offences.get(record_id, frozenset()))
                    if rule is not None and reported_at < months_old_cutoff(today, rule.review_after_months):
                        reviews.append(RetentionReview(record_id=record_id, rule=rule, due_on=today))
            RetentionReview.objects.bulk_create(reviews, batch_size=1000)
            raised += len(reviews)
    audit_event_write(actor=actor, action=actions.RETENTION_REVIEWS_RAISE, target=None, target_label="retention reviews",
                      changes={"raised": raised, "today": today.isoformat()})
    return raised


def _holders_line(lines: Sequence[RetentionRule], organisation_kind: str) -> RetentionRule | None:
    """Of one kind of line (closed reports, a part), the holders' own, else the one for any organisation."""
    return next((r for r in lines if r.organisation_kind == organisation_kind), None) or next(
        (r for r in lines if not r.organisation_kind), None)


def closed_reports_dispose(*, actor: User | None, today: date) -> int:
    """Empties the reports that were closed or merged without becoming a record, once the
    schedule's line for reports held by their organisation's kind (its own line, or the line for any
    organisation) says they are old enough (``intake.services.reports_closed_dispose``). Returns
    how many. Run daily, with the reviews."""
    from umbrella.agencies.models import OrganisationKind
    from umbrella.intake.services import reports_closed_dispose

    lines = [rule for rule in current_rules() if rule.record_kind == REPORTS_ENDED]
    emptied = 0
    for organisation_kind in OrganisationKind.values:
        line = _holders_line(lines, organisation_kind)
        if line is not None:
            emptied += reports_closed_dispose(
                actor=actor, organisation_kind=organisation_kind, rule=str(line),
                decided_before=months_old_cutoff(today, line.review_after_months))
    return emptied


def parts_dispose(*, actor: User | None, today: date) -> int:
    """Removes each part of a record that has a line of its own (``RecordPart``: evidence files,
    risk, care, conferences) from closed records reported at least the line's months ago (the
    holders' own line, or the line for any organisation), unless a legal hold or another app's open
    work keeps the record, as they stop its disposal. Each removal is a line of the disposal register
    (``DisposalEntry`` with its ``part``); one audit event per part and kind of holder gives the
    count. Returns how many parts were removed."""
    from umbrella.agencies.models import OrganisationKind
    from umbrella.cases.disposal import record_parts_empty
    from umbrella.core.extensions import disposal_targets

    lines = [rule for rule in current_rules() if rule.record_kind in RecordPart.values]
    targets = dict(disposal_targets())
    removed_in_all = 0
    for part in sorted({rule.record_kind for rule in lines}):
        names = [name for name in PART_TARGETS[part] if name in targets]
        for organisation_kind in OrganisationKind.values:
            line = _holders_line([r for r in lines if r.record_kind == part], organisation_kind)
            if line is None:
                continue
            candidates = (
                Record.objects.filter(organisation__kind=organisation_kind, status=RecordStatus.CLOSED, disposed_at=None,
                                      anonymised_at=None,
                                      reported_at__lt=months_old_cutoff(today, line.review_after_months))
                .exclude(Q(legal_holds__isnull=False) & Q(legal_holds__lifted_at=None))
            )
            # The records with something left in the part: rows whose columns are not all emptied
            # (rows that go whole, as evidence files do, are gone once removed). A record reopened
            # and given new rows of the part loses them too, at the next run.
            holding: set[int] = set()
            for name in names:
                target = targets[name]
                filled = Q()
                for field in target.fields:
                    filled |= ~Q(**{field: ""})
                for lookup in target.record_lookups:
                    holding |= set(target.model.objects.filter(filled, **{f"{lookup}__in": candidates.values("pk")})
                                   .values_list(lookup, flat=True).distinct())
            removed = 0
            ordered = sorted(holding)
            for start in range(0, len(ordered), 500):
                records = list(Record.objects.filter(pk__in=ordered[start:start + 500]))
                kept = retention_blockers(records)
                for record in records:
                    if kept[record.pk]:
                        continue
                    with transaction.atomic():
                        counts = record_parts_empty(record_id=record.pk, names=names)
                        # One register line a part: a later removal (after the record was reopened) updates it.
                        DisposalEntry.objects.update_or_create(
                            record=record, part=part,
                            defaults={"reference": record.reference, "organisation_id": record.organisation_id,
                                      "record_kind": record.kind, "decision": Decision.DISPOSED, "rule": line,
                                      "review": None, "disposed_by": None, "disposed_at": timezone.now(),
                                      "removed": counts})
                    removed += 1
            if removed:
                audit_event_write(actor=actor, action=actions.RETENTION_PARTS_DISPOSE, target=None,
                                  target_label=f"{part} of closed records",
                                  changes={"part": part, "organisation_kind": organisation_kind, "records": removed,
                                           "rule": str(line), "rule_version": line.version})
            removed_in_all += removed
    return removed_in_all


def _offences_of(record_ids: list[int]) -> dict[int, frozenset[str]]:
    from umbrella.cases.models import Offence

    found: dict[int, set[str]] = {}
    for record_id, code in Offence.objects.filter(record_id__in=record_ids).values_list("record_id", "offence__code"):
        found.setdefault(record_id, set()).add(code)
    return {record_id: frozenset(codes) for record_id, codes in found.items()}


def _chunks(items: list[tuple[int, datetime]], size: int) -> list[list[tuple[int, datetime]]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _require_reviewer(actor: User, record: Record, doing: str) -> None:
    if not can_review_retention(actor) or actor.organisation_id != record.organisation_id:
        raise PermissionDenied(f"Only the record's own organisation's supervisors, managers and administrators {doing}.")


def _open_review_for_decision(actor: User, review: RetentionReview) -> RetentionReview:
    review = RetentionReview.objects.select_for_update().select_related("record", "rule").get(pk=review.pk)
    _require_reviewer(actor, review.record, "decide its retention review")
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"review": "This review has been decided already"})
    return review


@transaction.atomic
def review_retain(*, actor: User, review: RetentionReview, reason: str, next_review_on: date) -> RetentionReview:
    """Keeps the record, for a purpose stated, until the next review."""
    review = _open_review_for_decision(actor, review)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter why the record is still needed"
    elif len(reason.strip()) > 500:
        errors["reason"] = "The reason must be 500 characters or fewer"
    if next_review_on <= timezone.localdate():
        errors["next_review_on"] = "The next review must be after today"
    if errors:
        raise ValidationError(errors)
    review.status, review.reason, review.next_review_on = ReviewStatus.RETAINED, reason.strip(), next_review_on
    review.decided_by, review.decided_at = actor, timezone.now()
    review.save(update_fields=["status", "reason", "next_review_on", "decided_by", "decided_at"])
    audit_event_write(actor=actor, action=actions.RETENTION_RETAIN, target=review, target_label=review.record.reference,
                      record_id=review.record_id, changes={"next_review_on": next_review_on.isoformat()})
    return review


def disposal_blockers_of(records: Sequence[Record]) -> dict[int, list[str]]:
    """Why each record cannot be disposed of yet, in words (empty when it can): a few queries for
    the lot, whatever their number."""
    held = set(LegalHold.objects.filter(record__in=records, lifted_at=None).values_list("record_id", flat=True))
    others = retention_blockers(records)
    return {record.pk: [*(["it is not closed"] if record.status != RecordStatus.CLOSED else []),
                        *(["it is under a legal hold"] if record.pk in held else []), *others[record.pk]]
            for record in records}


def disposal_blockers(record: Record) -> list[str]:
    """Why the record cannot be disposed of yet, in words; empty when it can."""
    return disposal_blockers_of([record])[record.pk]


@transaction.atomic
def review_dispose(*, actor: User, review: RetentionReview, reason: str) -> DisposalEntry:
    """Disposes of the record's personal data and free text, writes the disposal register's line
    and closes the review. Refused, changing nothing, while anything keeps the record alive."""
    return _review_end(actor=actor, review=review, reason=reason, decision=Decision.DISPOSED)


@transaction.atomic
def review_anonymise(*, actor: User, review: RetentionReview, reason: str) -> DisposalEntry:
    """Removes every person's details from the record and keeps its narrative anonymised
    (``cases.disposal.record_anonymise``); writes the register's line and closes the review. The
    record is not reviewed again: nothing about anyone is left in it. Refused, changing nothing,
    while anything keeps the record alive, as disposal is."""
    return _review_end(actor=actor, review=review, reason=reason, decision=Decision.ANONYMISED)


@dataclass(frozen=True)
class _Ending:
    """How a review that ends a record's personal data words and does it, for each decision."""

    end: Callable[..., dict[str, int]]
    status: str
    action: str
    done: str
    why: str


_ENDINGS = {
    Decision.DISPOSED: _Ending(record_dispose, ReviewStatus.DISPOSED, actions.RETENTION_DISPOSE, "disposed of",
                               "Enter why the record is no longer needed"),
    Decision.ANONYMISED: _Ending(record_anonymise, ReviewStatus.ANONYMISED, actions.RETENTION_ANONYMISE, "anonymised",
                                 "Enter why the record is kept without anyone in it"),
}


def _review_end(*, actor: User, review: RetentionReview, reason: str, decision: Decision) -> DisposalEntry:
    ending = _ENDINGS[decision]
    review = _open_review_for_decision(actor, review)
    record = Record.objects.select_for_update().get(pk=review.record_id)
    blockers = disposal_blockers(record)
    if blockers:
        raise ValidationError({"review": f"This record cannot be {ending.done} yet: " + "; ".join(blockers)})
    if not reason.strip():
        raise ValidationError({"reason": ending.why})
    rule = review.rule
    removed = ending.end(actor=actor, record=record, rule=str(rule))
    now = timezone.now()
    review.status, review.reason, review.decided_by, review.decided_at = ending.status, reason.strip()[:500], actor, now
    review.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    entry = DisposalEntry.objects.create(
        record=record, reference=record.reference, organisation_id=record.organisation_id, record_kind=record.kind,
        decision=decision, rule=rule, review=review, disposed_by=actor, disposed_at=now, removed=removed)
    audit_event_write(actor=actor, action=ending.action, target=entry, target_label=record.reference,
                      record_id=record.pk, changes={"rule": str(rule), "rule_version": rule.version, **removed})
    return entry


@transaction.atomic
def legal_hold_place(*, actor: User, record: Record, reason: str) -> LegalHold:
    _require_reviewer(actor, record, "place a legal hold")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record must be kept (a claim, an inquiry, a complaint)"})
    hold = LegalHold.objects.create(record=record, reason=reason.strip()[:300], placed_by=actor)
    audit_event_write(actor=actor, action=actions.LEGAL_HOLD_PLACE, target=hold, target_label=record.reference,
                      record_id=record.pk, changes={"hold": hold.pk})
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().select_related("record").get(pk=hold.pk)
    _require_reviewer(actor, hold.record, "lift a legal hold")
    if hold.lifted_at is None:
        hold.lifted_by, hold.lifted_at = actor, timezone.now()
        hold.save(update_fields=["lifted_by", "lifted_at"])
        audit_event_write(actor=actor, action=actions.LEGAL_HOLD_LIFT, target=hold, target_label=hold.record.reference,
                          record_id=hold.record_id, changes={"hold": hold.pk})
    return hold
