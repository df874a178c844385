"""Recording a crime's outcome: validated, append-only, audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from umbrella.audit.services import PendingEvent, audit_event_write, audit_events_write_many
from umbrella.cases.models import Record, RecordKind
from umbrella.core.dates import as_written
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes import signals
from umbrella.outcomes.models import (
    CasePosition,
    ChargingDecision,
    ChargingDecisionKind,
    CourtHearing,
    CourtResult,
    CourtResultKind,
    Decider,
    HearingKind,
    InvestigationOutcome,
    Plea,
    ReviewResult,
    ReviewScheme,
    RightToReviewRequest,
)
from umbrella.outcomes.policy import (
    CHARGED_GROUP,
    CRIME_KINDS,
    NO_SUSPECT_GROUP,
    can_record_outcome,
    can_record_prosecution,
    is_prosecutor_for,
    needs_outcome_to_close,
    review_follows,
)
from umbrella.reference.models import Code, Scheme
from umbrella.reference.selectors import current_code

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def _owned_crime(
    *, actor: User, record: Record, field: str, what: str, whose: str, may: Callable[[User, Record], bool] = can_record_outcome
) -> Record:
    """The crime, locked, for a decision on it: refused on a non-crime, and for anyone ``may``
    refuses (by default all but the writers of the police force that owns it)."""
    if record.kind not in CRIME_KINDS:
        raise ValidationError({field: f"Only a crime has {what}. Change the record's kind first."})
    if not may(actor, record):
        raise PermissionDenied(f"Only the police force that owns this crime, or the CPS it shared it with, records its {whose}."
                               if may is can_record_prosecution else
                               f"Only the police force that owns this crime records its {whose}.")
    return Record.objects.select_for_update().get(pk=record.pk)


def _date_error(decided_on: date, *, what: str, earliest: date | None, since: str) -> str | None:
    """Why a decision's date is refused: in the future, or before ``earliest`` (``since`` says what happened then)."""
    if decided_on > timezone.localdate():
        return f"The date of the {what} must be today or in the past"
    if earliest is not None and decided_on < earliest:
        return f"The date of the {what} must be on or after {as_written(earliest)}, {since}"
    return None


def _crime_began(record: Record) -> date:
    return timezone.localtime(record.occurred_from or record.reported_at).date()


@transaction.atomic
def outcome_record(
    *, actor: User, record: Record, outcome_code: str, decided_on: date, suspect_identified: bool
) -> InvestigationOutcome:
    """Adds an outcome to the crime's history. Refused, with nothing saved: on a non-crime, for
    anyone but the owning organisation's writers, for a code not in the current list, for a date
    before the crime or in the future, and for "no suspect identified" with a suspect."""
    record = _owned_crime(actor=actor, record=record, field="outcome", what="a Home Office outcome", whose="outcome")
    errors: dict[str, str] = {}
    code = current_code(scheme=Scheme.OUTCOME, code=outcome_code) if outcome_code else None
    if code is None:
        errors["outcome"] = "Select the outcome from the list"
    if date_error := _date_error(decided_on, what="outcome", earliest=_crime_began(record), since="when the crime happened"):
        errors["decided_on"] = date_error
    group = str(code.attributes.get("group", "")) if code is not None else ""
    if suspect_identified and group == NO_SUSPECT_GROUP:
        errors["suspect_identified"] = "No suspect was identified with this outcome: select no, or choose another outcome"
    if not suspect_identified and group == CHARGED_GROUP:
        errors["suspect_identified"] = "A charge or summons needs a suspect: select yes, or choose another outcome"
    if errors:
        raise ValidationError(errors)
    assert code is not None
    outcome = InvestigationOutcome.objects.create(
        record=record, outcome=code, decided_on=decided_on, suspect_identified=suspect_identified, recorded_by=actor,
    )
    _tell_the_victim(actor=actor, record=record, decided_on=decided_on)
    audit_event_write(
        actor=actor, action=outcome_actions.RECORD_OUTCOME, target=outcome, target_label=record.reference, record_id=record.pk,
        changes={"outcome": code.code, "group": code.attributes.get("group", ""), "decided_on": decided_on.isoformat(),
                 "suspect_identified": suspect_identified},
    )
    case_positions_refresh(record_ids=[record.pk])
    signals.outcomes_recorded.send(sender=InvestigationOutcome, record_ids=[record.pk], actor=actor)
    return outcome


@transaction.atomic
def charging_decision_record(
    *, actor: User, record: Record, decision: str, decided_by: str, decided_on: date
) -> ChargingDecision:
    """Adds a charging decision to the crime's history. Refused, with nothing saved: on a
    non-crime, for anyone but the owning force's writers and the CPS it shared the crime with (who
    records only the CPS's decisions), for an unknown decision or decider, for a
    date before the crime or in the future, and when the latest outcome says no suspect was found."""
    record = _owned_crime(
        actor=actor, record=record, field="decision", what="a charging decision", whose="charging decisions",
        may=can_record_prosecution,
    )
    errors: dict[str, str] = {}
    if decision not in ChargingDecisionKind.values:
        errors["decision"] = "Select the charging decision"
    if decided_by not in Decider.values:
        errors["decided_by"] = "Select who made the decision"
    elif decided_by != Decider.CPS and is_prosecutor_for(actor, record):
        errors["decided_by"] = "The CPS records its own decisions: select the Crown Prosecution Service"
    if date_error := _date_error(decided_on, what="decision", earliest=_crime_began(record), since="when the crime happened"):
        errors["decided_on"] = date_error
    latest = InvestigationOutcome.objects.filter(record=record).first()
    if latest is not None and not latest.suspect_identified:
        errors["decision"] = "The latest outcome says no suspect was identified: record a new outcome with the suspect first"
    if errors:
        raise ValidationError(errors)
    row = ChargingDecision.objects.create(
        record=record, decision=decision, decided_by=decided_by, decided_on=decided_on, recorded_by=actor,
    )
    _tell_the_victim(actor=actor, record=record, decided_on=decided_on, event=_KEY_EVENTS[ChargingDecisionKind(decision)])
    audit_event_write(
        actor=actor, action=outcome_actions.RECORD_CHARGING_DECISION, target=row, target_label=record.reference,
        record_id=record.pk,
        changes={"decision": decision, "decided_by": decided_by, "decided_on": decided_on.isoformat()},
    )
    case_positions_refresh(record_ids=[record.pk])
    return row


@transaction.atomic
def court_result_record(
    *, actor: User, record: Record, result: str, decided_on: date, offence_code: str = "", sentence: str = "",
    uplift_applied: bool = False, uplift_announced: bool = False,
) -> CourtResult:
    """Adds a court result to a charged crime's history. Refused, with nothing saved: before any
    charge (the latest charging decision must be a charge), for an unknown result or offence, for a
    date before the charge or in the future, and for an uplift on anything but a conviction of a
    hate crime or one announced but not applied."""
    record = _owned_crime(actor=actor, record=record, field="result", what="a court result", whose="court results",
                          may=can_record_prosecution)
    errors: dict[str, str] = {}
    charge = ChargingDecision.objects.filter(record=record).first()
    if charge is None or charge.decision != ChargingDecisionKind.CHARGE:
        errors["result"] = "Record the charge first: a court result follows a decision to charge"
    if result not in CourtResultKind.values:
        errors["result"] = "Select the court's result"
    offence = current_code(scheme=Scheme.OFFENCE, code=offence_code) if offence_code else None
    if offence_code and offence is None:
        errors["offence"] = "Select the offence from the list"
    if result == CourtResultKind.CONVICTED and not offence_code:
        errors["offence"] = "Select the offence the defendant was convicted of"
    if result != CourtResultKind.CONVICTED and (offence_code or sentence.strip() or uplift_applied):
        errors["uplift_applied"] = "Only a conviction has an offence, a sentence and a hostility uplift"
    if uplift_announced and not uplift_applied:
        errors["uplift_announced"] = "The court can only announce an uplift it applied"
    elif uplift_applied and record.kind != RecordKind.HATE_CRIME:
        # Section 66 increases the sentence for hostility the court finds: a crime not recorded as
        # a hate crime has none to find.
        errors["uplift_applied"] = "The hostility uplift is for a hate crime: record the crime as one first"
    earliest = charge.decided_on if charge is not None else None
    if date_error := _date_error(decided_on, what="result", earliest=earliest, since="when the charge was decided"):
        errors["decided_on"] = date_error
    if errors:
        raise ValidationError(errors)
    row = CourtResult.objects.create(
        record=record, result=result, decided_on=decided_on, offence=offence, sentence=sentence.strip(),
        uplift_applied=uplift_applied, uplift_announced=uplift_announced, recorded_by=actor,
    )
    _tell_the_victim(actor=actor, record=record, decided_on=decided_on)
    audit_event_write(
        actor=actor, action=outcome_actions.RECORD_COURT_RESULT, target=row, target_label=record.reference,
        record_id=record.pk,
        changes={"result": result, "decided_on": decided_on.isoformat(), "offence": offence.code if offence else None,
                 "sentence": "set" if sentence.strip() else "empty", "uplift_applied": uplift_applied,
                 "uplift_announced": uplift_announced},
    )
    case_positions_refresh(record_ids=[record.pk])
    return row


# How far ahead a listed hearing may be recorded: further is a typing slip.
HEARING_HORIZON_DAYS = 730


@transaction.atomic
def court_hearing_record(*, actor: User, record: Record, kind: str, heard_on: date, plea: str = Plea.NOT_ENTERED) -> CourtHearing:
    """Adds a hearing to a charged crime's prosecution. Refused, with nothing saved: before any
    charge (the latest charging decision must be a charge), for an unknown kind or plea, for a date
    before the charge or more than two years ahead, and for a plea at a hearing still to come.
    A hearing's date is news for the victim: the timer to tell them starts."""
    record = _owned_crime(actor=actor, record=record, field="kind", what="a court hearing", whose="court hearings",
                          may=can_record_prosecution)
    errors: dict[str, str] = {}
    charge = ChargingDecision.objects.filter(record=record).first()
    if charge is None or charge.decision != ChargingDecisionKind.CHARGE:
        errors["kind"] = "Record the charge first: a hearing follows a decision to charge"
    elif kind not in HearingKind.values:
        errors["kind"] = "Select the kind of hearing"
    if plea not in Plea.values:
        errors["plea"] = "Select the plea, or that none was entered"
    today = timezone.localdate()
    if charge is not None and heard_on < charge.decided_on:
        errors["heard_on"] = f"The date of the hearing must be on or after {as_written(charge.decided_on)}, when the charge was decided"
    elif heard_on > today + timedelta(days=HEARING_HORIZON_DAYS):
        errors["heard_on"] = "The date of the hearing must be within two years from today"
    elif heard_on > today and plea != Plea.NOT_ENTERED:
        errors["plea"] = "A plea is entered at the hearing: record it once the hearing has happened"
    if errors:
        raise ValidationError(errors)
    row = CourtHearing.objects.create(record=record, kind=kind, heard_on=heard_on, plea=plea, recorded_by=actor)
    _tell_the_victim(actor=actor, record=record, decided_on=min(heard_on, today), event="court_hearing")
    audit_event_write(
        actor=actor, action=outcome_actions.RECORD_COURT_HEARING, target=row, target_label=record.reference,
        record_id=record.pk, changes={"kind": kind, "heard_on": heard_on.isoformat(), "plea": plea},
    )
    case_positions_refresh(record_ids=[record.pk])
    signals.outcomes_recorded.send(sender=CourtHearing, record_ids=[record.pk], actor=actor)
    return row


# The Victims' Code key event each decision is (the victim is told within its timer).
_KEY_EVENTS = {
    ChargingDecisionKind.CHARGE: "charge",
    ChargingDecisionKind.NFA_EVIDENTIAL: "release",
    ChargingDecisionKind.NFA_PUBLIC_INTEREST: "release",
    ChargingDecisionKind.OUT_OF_COURT: "out_of_court_disposal",
}


def _tell_the_victim(*, actor: User, record: Record, decided_on: date, event: str = "outcome") -> None:
    """The Victims' Code gives the victim the right to be told the outcome: the key-event timer
    starts (1 working day with enhanced rights, 5 otherwise) and the next contact meets it. It runs
    from the decision: one recorded late is already due, as it is for the victim."""
    from umbrella.care.models import KeyEvent
    from umbrella.care.services import decision_key_event, victims_code_applies

    if not victims_code_applies(record):
        return
    now = timezone.now()
    decided_at = timezone.make_aware(datetime.combine(decided_on, time(9)))
    # The decision's service has checked the actor (the owning force, or the CPS it shared the crime
    # with); the timer is the owning force's, which tells the victim.
    decision_key_event(actor=actor, record=record, event=KeyEvent(event), occurred_at=min(decided_at, now))


def _reviewable_since(record: Record) -> date | None:
    return review_follows(decision=ChargingDecision.objects.filter(record=record).first(),
                          court=CourtResult.objects.filter(record=record).first())


@transaction.atomic
def right_to_review_request(
    *, actor: User, record: Record, scheme: str, requested_on: date
) -> RightToReviewRequest:
    """Records the victim's request for a review under the police's or the CPS's scheme. Refused,
    with nothing saved: unless the latest decision was not to charge or to stop the prosecution,
    while an earlier request under the same scheme is undecided, for an unknown scheme, and for a
    date before that decision or in the future."""
    record = _owned_crime(actor=actor, record=record, field="scheme", what="a Victims' Right to Review request",
                          whose="Right to Review requests")
    errors: dict[str, str] = {}
    if scheme not in ReviewScheme.values:
        errors["scheme"] = "Select whose scheme the victim asked under"
    since = _reviewable_since(record)
    if since is None:
        errors["scheme"] = "A review follows a decision not to charge or to stop the prosecution: record that decision first"
    elif RightToReviewRequest.objects.filter(record=record, scheme=scheme, result="").exists():
        errors["scheme"] = "A request under this scheme is still waiting for its result"
    if date_error := _date_error(requested_on, what="request", earliest=since, since="when the decision was made"):
        errors["requested_on"] = date_error
    if errors:
        raise ValidationError(errors)
    row = RightToReviewRequest.objects.create(record=record, scheme=scheme, requested_on=requested_on, recorded_by=actor)
    audit_event_write(
        actor=actor, action=outcome_actions.RECORD_REVIEW_REQUEST, target=row, target_label=record.reference,
        record_id=record.pk, changes={"scheme": scheme, "requested_on": requested_on.isoformat()},
    )
    return row


@transaction.atomic
def right_to_review_decide(
    *, actor: User, review: RightToReviewRequest, result: str, decided_on: date
) -> RightToReviewRequest:
    """Writes the review's result, once: the victim is told it (a Victims' Code timer starts). Refused,
    with nothing saved: a review already decided, an unknown result, and a date before the request
    or in the future. An upheld review is followed by the new decision, recorded as usual."""
    review = RightToReviewRequest.objects.select_for_update().select_related("record").get(pk=review.pk)
    record = _owned_crime(actor=actor, record=review.record, field="result", what="a Victims' Right to Review result",
                          whose="Right to Review results")
    errors: dict[str, str] = {}
    if review.is_decided:
        errors["result"] = "This review already has its result"
    elif result not in ReviewResult.values:
        errors["result"] = "Select the review's result"
    if date_error := _date_error(decided_on, what="result", earliest=review.requested_on, since="when the review was asked for"):
        errors["decided_on"] = date_error
    if errors:
        raise ValidationError(errors)
    review.result, review.decided_on, review.decided_by = result, decided_on, actor
    review.save(update_fields=["result", "decided_on", "decided_by"])
    _tell_the_victim(actor=actor, record=record, decided_on=decided_on)
    audit_event_write(
        actor=actor, action=outcome_actions.RECORD_REVIEW_DECISION, target=review, target_label=record.reference,
        record_id=record.pk, changes={"scheme": review.scheme, "result": result, "decided_on": decided_on.isoformat()},
    )
    return review


@transaction.atomic
def outcomes_import_many(*, actor: User, outcomes: Sequence[tuple[Record, Code]]) -> int:
    """The outcomes an import brings with its new records (each a code whose ``group`` attribute
    says how it counts), as one bulk insert with its audit events. The source gives no date: the
    outcome is dated the day the crime was reported (data.police.uk publishes only the month).
    Only a police force's crimes have outcomes; others are left without one. Returns how many."""
    rows = [
        InvestigationOutcome(
            record=record, outcome=code, decided_on=timezone.localtime(record.reported_at).date(),
            suspect_identified=str(code.attributes.get("group", "")) not in _NO_SUSPECT_YET,
            recorded_by=actor, recorded_at=timezone.now(),
        )
        for record, code in outcomes
        if needs_outcome_to_close(kind=record.kind, organisation_kind=record.organisation.kind)
    ]
    InvestigationOutcome.objects.bulk_create(rows, batch_size=2000)
    audit_events_write_many(actor=actor, events=[
        PendingEvent(
            action=outcome_actions.RECORD_OUTCOME, target_type="outcomes.investigationoutcome", target_id=str(row.pk),
            target_label=row.record.reference, record_id=row.record_id,
            changes={"outcome": row.outcome.code, "group": row.outcome.attributes.get("group", ""),
                     "decided_on": row.decided_on.isoformat(), "suspect_identified": row.suspect_identified,
                     "source": "import"},
        )
        for row in rows
    ])
    case_positions_refresh(record_ids=[row.record_id for row in rows])
    signals.outcomes_recorded.send(sender=InvestigationOutcome, record_ids=[row.record_id for row in rows], actor=actor)
    return len(rows)


# Groups whose outcome says no suspect has been identified, or says nothing yet.
_NO_SUSPECT_YET = frozenset({NO_SUSPECT_GROUP, "not_yet_assigned", "other"})


def case_positions_refresh(*, record_ids: Iterable[int]) -> int:
    """Rewrites the crimes' positions (``CasePosition``) from their outcome history, in batches of
    a few thousand with one query each. Every service here that adds to the history calls it for
    the crimes it touched, inside its own transaction, so a position never disagrees with the
    history. Not audited: it is derived data, and the service that changed the history wrote the
    event. Returns how many positions it wrote (the crimes that have an outcome)."""
    ids = sorted(set(record_ids))
    written = 0
    latest = InvestigationOutcome.objects.filter(record=OuterRef("pk")).order_by("-decided_on", "-id")
    decision = ChargingDecision.objects.filter(record=OuterRef("pk")).order_by("-decided_on", "-id")
    court = CourtResult.objects.filter(record=OuterRef("pk")).order_by("-decided_on", "-id")
    first_hearing = CourtHearing.objects.filter(record=OuterRef("pk")).order_by("heard_on", "id")
    for start in range(0, len(ids), _POSITION_BATCH):
        batch = ids[start:start + _POSITION_BATCH]
        rows = (
            Record.objects.filter(pk__in=batch).order_by()
            .annotate(outcome_code=Subquery(latest.values("outcome__code")[:1]),
                      suspect=Subquery(latest.values("suspect_identified")[:1]),
                      decision=Subquery(decision.values("decision")[:1]),
                      court_result=Subquery(court.values("result")[:1]),
                      uplift=Subquery(court.values("uplift_applied")[:1]),
                      first_heard_on=Subquery(first_hearing.values("heard_on")[:1]))
            .filter(outcome_code__isnull=False)
            .values_list("pk", "outcome_code", "suspect", "decision", "court_result", "uplift", "first_heard_on")
        )
        positions = [
            CasePosition(record_id=pk, outcome_code=code, suspect_identified=bool(suspect), decision=decided or "",
                         court_result=result or "", uplift_applied=bool(uplift), first_heard_on=heard)
            for pk, code, suspect, decided, result, uplift, heard in rows
        ]
        CasePosition.objects.filter(record_id__in=batch).delete()
        CasePosition.objects.bulk_create(positions, batch_size=_POSITION_BATCH)
        written += len(positions)
    return written


_POSITION_BATCH = 5000
