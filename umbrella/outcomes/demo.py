"""Demo data for outcomes: every closed crime of a demo police force gets its Home Office outcome.

The shares follow ../shared/DOMAIN.md §8.3 where it has them: hate crime charged or summonsed 9%
(⚠️ 2021/22) against 5.7% for all crime and 39.3% of all crime closed with no suspect identified
(✅ 2022/23); 30% of violent hate crimes closed because the victim does not support action
(⚠️ 2021/22). The rest of each split is an assumption (❌), kept small and plausible, so the funnel
shows the real-world shape: far fewer charges than reports, and hate crime not better than the rest.
Idempotent: once any demo crime has an outcome, nothing more is added.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from umbrella.accounts.models import Role, User
from umbrella.agencies.models import OrganisationKind
from umbrella.audit.services import PendingEvent, audit_events_write_many
from umbrella.cases.models import Offence, Record, RecordKind, RecordStatus
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes.models import (
    ChargingDecision,
    CourtHearing,
    CourtResult,
    CourtResultKind,
    Decider,
    HearingKind,
    InvestigationOutcome,
    Plea,
    RightToReviewRequest,
)
from umbrella.outcomes.services import case_positions_refresh
from umbrella.reference.models import Code, Scheme

# Outcome number -> share of closed crimes, per kind.
SHARES: dict[str, dict[str, float]] = {
    RecordKind.HATE_CRIME: {"1": 0.09, "18": 0.25, "16": 0.20, "14": 0.10, "15": 0.15, "8": 0.06, "3": 0.03,
                            "22": 0.02, "21": 0.05, "10": 0.03, "20": 0.02},
    RecordKind.OTHER_CRIME: {"1": 0.057, "18": 0.393, "16": 0.15, "14": 0.10, "15": 0.12, "8": 0.04, "3": 0.02,
                             "22": 0.01, "21": 0.06, "10": 0.03, "20": 0.02},
}
NO_SUSPECT = frozenset({"18", "14"})
# Charging decisions beside the outcomes (❌ assumption): a charge (outcome 1) was decided by the
# CPS for most and by the police for the rest; for outcome 15 (evidential difficulties with the
# victim's support) the CPS decided there was not enough evidence.
CHARGING = {"1": "charge", "15": "nfa_evidential"}
# Court results for charges decided long enough ago: convicted 84% (CPS, ⚠️ 2018/19: 84.3%), the
# rest acquitted, discontinued or dismissed (❌ split assumed); of convictions, the hostility uplift
# announced and recorded in 74% (CPS, ⚠️ 2018/19: 73.6%).
CONVICTED_SHARE = 0.84
UPLIFT_SHARE = 0.74


def load_demo(*, seed: int, now: datetime) -> str:
    if InvestigationOutcome.objects.exists():
        return "outcomes: demo outcomes already loaded"
    codes = {code.code: code for code in Code.objects.current().filter(scheme=Scheme.OUTCOME)}
    if not all(number in codes for shares in SHARES.values() for number in shares):
        return "outcomes: outcome types not seeded, nothing added"
    rng = random.Random(seed)
    crimes = (
        Record.objects.filter(status=RecordStatus.CLOSED, kind__in=list(SHARES),
                              organisation__kind=OrganisationKind.POLICE_FORCE)
        .only("pk", "kind", "reference", "organisation_id", "reported_at", "occurred_from")
        .order_by("pk")
    )
    deciders: dict[int, User | None] = {}
    made: list[InvestigationOutcome] = []
    references: dict[int, str] = {}
    today = timezone.localtime(now).date()
    for record in crimes.iterator():
        shares = SHARES[record.kind]
        number = rng.choices(list(shares), weights=list(shares.values()))[0]
        references[record.pk] = record.reference
        start = timezone.localtime(record.reported_at).date()
        decided = min(start + timedelta(days=rng.randint(7, 120)), today - timedelta(days=1))
        if record.organisation_id not in deciders:
            deciders[record.organisation_id] = (
                User.objects.filter(organisation_id=record.organisation_id, role=Role.OFFICER, is_active=True)
                .order_by("pk").first()
            )
        made.append(InvestigationOutcome(
            record_id=record.pk, outcome=codes[number], decided_on=max(decided, start),
            suspect_identified=number not in NO_SUSPECT, recorded_by=deciders[record.organisation_id],
            recorded_at=now,
        ))
    decisions = [
        ChargingDecision(
            record_id=outcome.record_id, decision=CHARGING[outcome.outcome.code],
            decided_by=Decider.POLICE if rng.random() < 0.2 else Decider.CPS, decided_on=outcome.decided_on,
            recorded_by=outcome.recorded_by, recorded_at=now,
        )
        for outcome in made if outcome.outcome.code in CHARGING
    ]
    results = _court_results(rng, decisions, today=today, now=now)
    reviews = _reviews(rng, decisions, results, today=today, now=now)
    # Their own stream, so the outcomes, results and reviews above stay as they were before hearings.
    hearings = _hearings(random.Random(seed + 7), decisions, results, today=today, now=now)
    with transaction.atomic():
        InvestigationOutcome.objects.bulk_create(made, batch_size=2000)
        ChargingDecision.objects.bulk_create(decisions, batch_size=2000)
        CourtResult.objects.bulk_create(results, batch_size=2000)
        CourtHearing.objects.bulk_create(hearings, batch_size=2000)
        RightToReviewRequest.objects.bulk_create(reviews, batch_size=2000)
        case_positions_refresh(record_ids=[outcome.record_id for outcome in made])
        by_actor: dict[int | None, list[PendingEvent]] = {}
        for outcome in made:
            code = outcome.outcome
            by_actor.setdefault(outcome.recorded_by_id, []).append(PendingEvent(
                action=outcome_actions.RECORD_OUTCOME, target_type="outcomes.investigationoutcome", target_id=str(outcome.pk),
                target_label=references[outcome.record_id], record_id=outcome.record_id,
                changes={"outcome": code.code, "group": code.attributes.get("group", ""),
                         "decided_on": outcome.decided_on.isoformat(), "suspect_identified": outcome.suspect_identified},
            ))
        for decision in decisions:
            by_actor.setdefault(decision.recorded_by_id, []).append(PendingEvent(
                action=outcome_actions.RECORD_CHARGING_DECISION, target_type="outcomes.chargingdecision",
                target_id=str(decision.pk), target_label=references[decision.record_id], record_id=decision.record_id,
                changes={"decision": decision.decision, "decided_by": decision.decided_by,
                         "decided_on": decision.decided_on.isoformat()},
            ))
        for result in results:
            by_actor.setdefault(result.recorded_by_id, []).append(PendingEvent(
                action=outcome_actions.RECORD_COURT_RESULT, target_type="outcomes.courtresult", target_id=str(result.pk),
                target_label=references[result.record_id], record_id=result.record_id,
                changes={"result": result.result, "decided_on": result.decided_on.isoformat(),
                         "offence": result.offence.code if result.offence else None,
                         "sentence": "set" if result.sentence else "empty", "uplift_applied": result.uplift_applied,
                         "uplift_announced": result.uplift_announced},
            ))
        for hearing in hearings:
            by_actor.setdefault(hearing.recorded_by_id, []).append(PendingEvent(
                action=outcome_actions.RECORD_COURT_HEARING, target_type="outcomes.courthearing", target_id=str(hearing.pk),
                target_label=references[hearing.record_id], record_id=hearing.record_id,
                changes={"kind": hearing.kind, "heard_on": hearing.heard_on.isoformat(), "plea": hearing.plea},
            ))
        for review in reviews:
            events = by_actor.setdefault(review.recorded_by_id, [])
            events.append(PendingEvent(
                action=outcome_actions.RECORD_REVIEW_REQUEST, target_type="outcomes.righttoreviewrequest",
                target_id=str(review.pk), target_label=references[review.record_id], record_id=review.record_id,
                changes={"scheme": review.scheme, "requested_on": review.requested_on.isoformat()},
            ))
            if review.decided_on is not None:
                events.append(PendingEvent(
                    action=outcome_actions.RECORD_REVIEW_DECISION, target_type="outcomes.righttoreviewrequest",
                    target_id=str(review.pk), target_label=references[review.record_id], record_id=review.record_id,
                    changes={"scheme": review.scheme, "result": review.result, "decided_on": review.decided_on.isoformat()},
                ))
        for actor_id, events in by_actor.items():
            actor = User.objects.filter(pk=actor_id).first() if actor_id else None
            audit_events_write_many(actor=actor, events=events)
    charged = sum(1 for outcome in made if outcome.outcome.code == "1")
    return (f"outcomes: {len(made):,} closed crimes given outcomes ({charged:,} charged or summonsed), "
            f"{len(decisions):,} charging decisions, {len(hearings):,} court hearings, {len(results):,} court results, "
            f"{len(reviews):,} Right to Review requests")


def _hearings(
    rng: random.Random, decisions: list[ChargingDecision], results: list[CourtResult], *, today: date, now: datetime
) -> list[CourtHearing]:
    """A first hearing two to four weeks after each charge (listed ahead, with no plea, where that is
    still to come); where the court has a result, the plea there, and a trial on the result's day
    after a not-guilty plea."""
    result_of = {result.record_id: result for result in results}
    hearings = []
    for decision in decisions:
        if decision.decision != "charge":
            continue
        result = result_of.get(decision.record_id)
        first = decision.decided_on + timedelta(days=rng.randint(14, 28))
        if result is not None:
            first = min(first, result.decided_on)
        if first > today:
            hearings.append(CourtHearing(record_id=decision.record_id, kind=HearingKind.FIRST, heard_on=first,
                                         recorded_by=decision.recorded_by, recorded_at=now))
            continue
        convicted = result is not None and result.result == CourtResultKind.CONVICTED
        plea = Plea.GUILTY if convicted and rng.random() < 0.7 else Plea.NOT_GUILTY if result is not None else Plea.NOT_ENTERED
        hearings.append(CourtHearing(record_id=decision.record_id, kind=HearingKind.FIRST, heard_on=first, plea=plea,
                                     recorded_by=decision.recorded_by, recorded_at=now))
        if result is not None and plea == Plea.NOT_GUILTY and result.decided_on > first:
            hearings.append(CourtHearing(record_id=decision.record_id, kind=HearingKind.TRIAL, heard_on=result.decided_on,
                                         recorded_by=decision.recorded_by, recorded_at=now))
    return hearings


def _court_results(rng: random.Random, decisions: list[ChargingDecision], *, today: date, now: datetime) -> list[CourtResult]:
    """A result for each charge decided more than a month before the load day (later ones are
    still awaiting court); a conviction is of the record's first offence, or a common one."""
    offences = {row.record_id: row.offence for row in Offence.objects.filter(
        record_id__in=[d.record_id for d in decisions]).select_related("offence").order_by("-id")}
    fallback = Code.objects.current().filter(scheme=Scheme.OFFENCE).order_by("code").first()
    kinds = dict(Record.objects.filter(pk__in=[d.record_id for d in decisions]).values_list("pk", "kind"))
    results = []
    for decision in decisions:
        if decision.decision != "charge":
            continue
        decided = decision.decided_on + timedelta(days=rng.randint(30, 150))
        if decided >= today:
            continue
        convicted = rng.random() < CONVICTED_SHARE
        # Drawn for every conviction, so the stream stays the same; applied only to a hate crime.
        uplift = convicted and rng.random() < UPLIFT_SHARE and kinds[decision.record_id] == RecordKind.HATE_CRIME
        results.append(CourtResult(
            record_id=decision.record_id, decided_on=decided,
            result=CourtResultKind.CONVICTED if convicted else rng.choice(
                [CourtResultKind.ACQUITTED, CourtResultKind.DISCONTINUED, CourtResultKind.DISMISSED]),
            offence=(offences.get(decision.record_id) or fallback) if convicted else None,
            sentence=rng.choice(["Community order", "Fine", "Suspended sentence", "Custody"]) if convicted else "",
            uplift_applied=uplift, uplift_announced=uplift, recorded_by=decision.recorded_by, recorded_at=now,
        ))
    return results


# About one victim in ten asks for a decision not to charge, or a stopped prosecution, to be
# reviewed; most reviews uphold the decision (a few overturn it).
REVIEW_SHARE = 0.1
UPHELD_SHARE = 0.15


def _reviews(
    rng: random.Random, decisions: list[ChargingDecision], results: list[CourtResult], *, today: date, now: datetime
) -> list[RightToReviewRequest]:
    reviewable = [(d.record_id, d.decided_by, d.decided_on, d.recorded_by) for d in decisions
                  if d.decision in ("nfa_evidential", "nfa_public_interest")]
    recorded_by = {d.record_id: d.recorded_by for d in decisions}
    reviewable += [(r.record_id, Decider.CPS, r.decided_on, recorded_by.get(r.record_id)) for r in results
                   if r.result == CourtResultKind.DISCONTINUED]
    reviews = []
    for record_id, scheme, since, by in reviewable:
        if rng.random() >= REVIEW_SHARE:
            continue
        requested = since + timedelta(days=rng.randint(3, 40))
        if requested >= today:
            continue
        decided: date | None = requested + timedelta(days=rng.randint(10, 60))
        if decided is not None and decided >= today:
            decided = None
        reviews.append(RightToReviewRequest(
            record_id=record_id, scheme=scheme, requested_on=requested, recorded_by=by, recorded_at=now,
            result=("" if decided is None else "upheld" if rng.random() < UPHELD_SHARE else "not_upheld"),
            decided_on=decided, decided_by=by if decided else None,
        ))
    return reviews
