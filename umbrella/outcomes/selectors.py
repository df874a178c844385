"""Reading outcomes, through the record's scope: whoever may see the record sees its outcomes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from umbrella.agencies.models import OrganisationKind
from umbrella.cases.models import Record
from umbrella.core.dates import as_written
from umbrella.core.extensions import BoardMeasure
from umbrella.core.worklist import WorkItem
from umbrella.outcomes.models import (
    ChargingDecision,
    ChargingDecisionKind,
    CourtHearing,
    CourtResult,
    CourtResultKind,
    InvestigationOutcome,
    RightToReviewRequest,
)
from umbrella.outcomes.policy import CHARGED_GROUP, CRIME_KINDS, has_home_office_outcome
from umbrella.reference.models import Code, Scheme
from umbrella.reference.selectors import current_codes

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def outcomes_of(*, record: Record) -> QuerySet[InvestigationOutcome]:
    """The record's outcome history, newest first. The caller has the record through its scope."""
    return InvestigationOutcome.objects.filter(record=record).select_related("outcome", "recorded_by")


def latest_outcome_groups(*, record_ids: list[int]) -> dict[int, str]:
    """Each crime's latest outcome's group (e.g. "charged_summonsed"), for counting; one query for
    many records, which the caller has already chosen."""
    groups: dict[int, str] = {}
    for record_id, attributes in (
        InvestigationOutcome.objects.filter(record_id__in=record_ids)
        .order_by("record_id", "-decided_on", "-id").values_list("record_id", "outcome__attributes")
    ):
        if record_id not in groups:
            groups[record_id] = str((attributes or {}).get("group", ""))
    return groups


def charging_decisions_of(*, record: Record) -> QuerySet[ChargingDecision]:
    """The crime's charging decisions, newest first. The caller has the record through its scope."""
    return ChargingDecision.objects.filter(record=record).select_related("recorded_by")


def reviews_of(*, record: Record) -> QuerySet[RightToReviewRequest]:
    """The victim's Right to Review requests on the crime, newest first (the caller has the record)."""
    return RightToReviewRequest.objects.filter(record=record)


def review_get(*, user: User, review_id: int) -> RightToReviewRequest:
    """A review on a crime the user can see, or RightToReviewRequest.DoesNotExist (out of scope too)."""
    review = RightToReviewRequest.objects.select_related("record").get(pk=review_id)
    if not Record.objects.visible_to(user).filter(pk=review.record_id).exists():
        raise RightToReviewRequest.DoesNotExist
    return review


def court_hearings_of(*, record: Record) -> QuerySet[CourtHearing]:
    """The crime's court hearings, newest first. The caller has the record through its scope."""
    return CourtHearing.objects.filter(record=record).select_related("recorded_by")


def court_results_of(*, record: Record) -> QuerySet[CourtResult]:
    """The crime's court results, newest first. The caller has the record through its scope."""
    return CourtResult.objects.filter(record=record).select_related("offence", "recorded_by")


def outcome_choices() -> list[Code]:
    """The current Home Office outcome types, in their official number order."""
    codes = list(current_codes(scheme=Scheme.OUTCOME))
    return sorted(codes, key=lambda code: (int(code.attributes.get("number", 999)), code.code))


MISSING_OUTCOME = "Record the crime's outcome before closing it"


def outcome_missing(record: Record) -> str | None:
    """The closing check outcomes registers with cases: a police crime needs an outcome first."""
    if not has_home_office_outcome(record):
        return None
    return None if InvestigationOutcome.objects.filter(record=record).exists() else MISSING_OUTCOME


REVIEW_WORKLIST_LIMIT = 200


def review_work_items(user: User) -> list[WorkItem]:
    """Right to Review requests waiting for their result on crimes the user's force owns, for its
    record writers: record the result, then tell the victim. No due date: the schemes set their own."""
    from umbrella.cases.policy import can_write_records

    if user.organisation_id is None or not can_write_records(user):
        return []
    waiting = (
        RightToReviewRequest.objects.filter(result="", record__organisation_id=user.organisation_id,
                                            record__in=Record.objects.visible_to(user))
        .values_list("pk", "requested_on", "record__reference").order_by("requested_on", "pk")[:REVIEW_WORKLIST_LIMIT]
    )
    return [
        WorkItem(kind="Right to Review", title=f"Record the result of the review asked for on {as_written(requested_on)}",
                 url=reverse("outcomes:review-decide", args=[pk]), due_at=None, organisation_id=user.organisation_id,
                 record_reference=reference)
        for pk, requested_on, reference in waiting
    ]


def board_measures(record_ids: Any) -> list[BoardMeasure]:
    """For the scrutiny board: of the police crimes counted, how many have an outcome, were charged
    or summonsed (by a charging decision or the outcome's group), convicted, and given the uplift."""
    crimes = Record.objects.filter(pk__in=record_ids, kind__in=CRIME_KINDS, organisation__kind=OrganisationKind.POLICE_FORCE)

    def how_many(condition: Q) -> int:
        return crimes.filter(condition).values("pk").distinct().count()

    total = crimes.count()
    charged = how_many(Q(charging_decisions__decision=ChargingDecisionKind.CHARGE)
                       | Q(outcomes__outcome__attributes__group=CHARGED_GROUP))
    convicted = how_many(Q(court_results__result=CourtResultKind.CONVICTED))
    return [
        BoardMeasure("Outcomes", "Police crimes with an outcome", how_many(Q(outcomes__isnull=False)), total),
        BoardMeasure("Outcomes", "Charged or summonsed", charged, total, "of the police crimes"),
        BoardMeasure("Outcomes", "Convicted", convicted, charged, "of those charged"),
        BoardMeasure("Outcomes", "Sentence increased for hostility",
                     how_many(Q(court_results__result=CourtResultKind.CONVICTED, court_results__uplift_applied=True)),
                     convicted, "of those convicted"),
    ]
