"""The attrition funnel: how many hate reports reach each stage, and why the rest drop out.

Stages, from what Umbrella records today: reported (every hate crime and non-crime hate incident
the user may see, drafts included) → recorded as a crime → suspect identified → charged or
summonsed (the latest charging decision where there is one, otherwise the outcome's group) →
prosecuted (a hearing has happened, or the court has a result) → convicted → sentence increased for hostility (section 66). Each stage has its count, its share of reported and the cases still open there;
between two stages, the reasons add up exactly to the drop. Counts come from the record list's
scoped selector, so a user sees the funnel of what they may see, with the same filters.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from umbrella.cases.models import Record, RecordKind, RecordStatus
from umbrella.cases.selectors import RecordFilters, record_list
from umbrella.outcomes.models import (
    ChargingDecision,
    ChargingDecisionKind,
    CourtResult,
    CourtResultKind,
    InvestigationOutcome,
)
from umbrella.outcomes.policy import CHARGED_GROUP
from umbrella.reference.models import Code, Scheme

if TYPE_CHECKING:
    from umbrella.accounts.models import User

# The page other apps may add panels to (core.extensions.register_page_panel); its context has
# "funnel" (this module's Funnel) and "filters" (the RecordFilters it was counted with).
FUNNEL_PAGE = "outcomes.funnel"

STAGES = (
    ("reported", "Reported"),
    ("recorded_crime", "Recorded as a crime"),
    ("suspect_identified", "Suspect identified"),
    ("charged", "Charged or summonsed"),
    ("prosecuted", "Prosecuted (in court)"),
    ("convicted", "Convicted"),
    ("uplift", "Sentence increased for hostility"),
)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    percent_of_reported: float
    open_at_stage: int
    # Days from the report to reaching the stage: the median over the decisions that put crimes
    # there (the lower middle one of an even number); None for the first stage and an empty one.
    median_days: int | None = None


@dataclass(frozen=True)
class DropReason:
    after_stage: str
    reason: str
    count: int


@dataclass(frozen=True)
class Funnel:
    stages: list[Stage]
    reasons: list[DropReason]

    @property
    def reported(self) -> int:
        return self.stages[0].count


def _groups() -> tuple[dict[str, str], dict[str, str]]:
    """Outcome code -> group code, and group code -> label, from the reference data."""
    codes = Code.objects.filter(scheme__in=(Scheme.OUTCOME, Scheme.OUTCOME_GROUP, Scheme.POLICE_UK_OUTCOME)).values_list(
        "scheme", "code", "label", "attributes"
    )
    group_of: dict[str, str] = {}
    label_of: dict[str, str] = {}
    for scheme, code, label, attributes in codes:
        if scheme in (Scheme.OUTCOME, Scheme.POLICE_UK_OUTCOME):
            group_of[code] = str((attributes or {}).get("group", "other"))
        else:
            label_of[code] = label
    return group_of, label_of


HATE_KINDS = (RecordKind.HATE_CRIME, RecordKind.NCHI)


def attrition_funnel(
    *, user: User, filters: RecordFilters | None = None, kinds: tuple[str, ...] = HATE_KINDS, medians: bool = False
) -> Funnel:
    """The funnel of the records the user may see. ``kinds`` other than the default gives the
    comparison: ``(RecordKind.OTHER_CRIME,)`` is the same force's other crime (e.g. the
    data.police.uk feed), where every recorded row is a crime. ``medians`` adds the median days to
    each stage: several ordered queries, so only when asked for (about 0.4 s on the demo's SQLite)."""
    scoped = record_list(user=user, filters=filters or RecordFilters()).prefetch_related(None).order_by().filter(kind__in=kinds)
    # One query over every record the user may see, by kind and status, each joined to the position
    # the outcome services keep for a crime with an outcome (CasePosition: the latest outcome,
    # charging decision and court result, and the first hearing). Counting by kind and status reads
    # only an index (cases' record_org_kind_status), and the positions are one hash join. A crime
    # without an outcome stops at "recorded as a crime" whatever else it has.
    # Prosecuted: a hearing has happened (a listed one still to come does not count yet), or a result.
    heard = Case(When(case_position__first_heard_on__lte=timezone.localdate(), then=Value(True)),
                 default=Value(False), output_field=BooleanField())
    rows = scoped.values(
        "kind", "status", outcome_code=F("case_position__outcome_code"), suspect=F("case_position__suspect_identified"),
        decision=F("case_position__decision"), court_result=F("case_position__court_result"),
        uplift=F("case_position__uplift_applied"), heard=heard,
    ).annotate(n=Count("pk"))
    group_of, label_of = _groups()
    reported = drafts = incidents = crimes = no_outcome = suspects = charged = 0
    awaiting_hearing = awaiting_result = prosecuted = convicted = uplifted = 0
    not_convicted: Counter[str] = Counter()
    not_suspect: Counter[str] = Counter()
    not_charged: Counter[str] = Counter()
    for row in rows:
        n = int(row["n"])
        reported += n
        if row["status"] == RecordStatus.DRAFT:
            drafts += n
            continue
        if row["kind"] == RecordKind.NCHI:
            incidents += n
            continue
        crimes += n
        code = row["outcome_code"]
        if code is None:
            no_outcome += n
            continue
        group = group_of.get(code, "other")
        reason = label_of.get(group, group)
        if not row["suspect"]:
            not_suspect[reason] += n
            continue
        suspects += n
        # The latest charging decision is the more precise word on charging; without one, the
        # outcome's group says it.
        if row["decision"] == ChargingDecisionKind.CHARGE or (not row["decision"] and group == CHARGED_GROUP):
            charged += n
            if not row["court_result"] and not row["heard"]:
                awaiting_hearing += n
                continue
            prosecuted += n
            if not row["court_result"]:
                awaiting_result += n
                continue
            if row["court_result"] != CourtResultKind.CONVICTED:
                not_convicted[str(CourtResultKind(row["court_result"]).label)] += n
                continue
            convicted += n
            if row["uplift"]:
                uplifted += n
        elif row["decision"]:
            not_charged[str(ChargingDecisionKind(row["decision"]).label)] += n
        else:
            not_charged[reason] += n

    def share(count: int) -> float:
        return round(100 * count / reported, 1) if reported else 0.0

    counts = {"reported": reported, "recorded_crime": crimes, "suspect_identified": suspects, "charged": charged,
              "prosecuted": prosecuted, "convicted": convicted, "uplift": uplifted}
    open_at = {"reported": drafts, "recorded_crime": no_outcome, "suspect_identified": 0, "charged": awaiting_hearing,
               "prosecuted": awaiting_result, "convicted": 0, "uplift": 0}
    days = _median_days(record_list(user=user, filters=filters or RecordFilters()), kinds=kinds) if medians else {}
    stages = [Stage(key, label, counts[key], share(counts[key]), open_at[key], days.get(key)) for key, label in STAGES]
    reasons = [
        DropReason("reported", "Recorded as a non-crime hate incident", incidents),
        DropReason("reported", "Not yet recorded (draft)", drafts),
        DropReason("recorded_crime", "Under investigation: no outcome yet", no_outcome),
        *(DropReason("recorded_crime", reason, n) for reason, n in not_suspect.most_common()),
        *(DropReason("suspect_identified", reason, n) for reason, n in not_charged.most_common()),
        DropReason("charged", "Awaiting the first hearing", awaiting_hearing),
        DropReason("prosecuted", "Awaiting the court's result", awaiting_result),
        *(DropReason("prosecuted", reason, n) for reason, n in not_convicted.most_common()),
        DropReason("convicted", "Sentence not increased for hostility", convicted - uplifted),
    ]
    return Funnel(stages=stages, reasons=[reason for reason in reasons if reason.count])


def _median_days(scoped: QuerySet[Any], *, kinds: tuple[str, ...] = HATE_KINDS) -> dict[str, int | None]:
    """How long each stage takes to reach, from the report: the median over the decisions that put
    crimes there (an outcome with a suspect; a charge; a court result; a conviction; one with the
    uplift). Each is one ordered query over that decision's own table, joined to the
    crimes the user may see, so the cost follows the decisions, not every record, and no list of
    cases is held in memory."""
    crimes = (
        scoped.prefetch_related(None).order_by()
        .filter(kind__in=[kind for kind in kinds if kind != RecordKind.NCHI]).exclude(status=RecordStatus.DRAFT)
    )
    crime_ids = crimes.values("pk")

    def median(rows: QuerySet[Any], reached: Any, reported: Any) -> int | None:
        timed = rows.annotate(days=ExpressionWrapper(reached - reported, output_field=DurationField()))
        count = timed.count()
        if not count:
            return None
        middle = timed.order_by("days").values_list("days", flat=True)[(count - 1) // 2]
        return int(middle.days)

    reported = TruncDate("record__reported_at")
    charges = ChargingDecision.objects.filter(record__in=crime_ids, decision=ChargingDecisionKind.CHARGE)
    court = CourtResult.objects.filter(record__in=crime_ids)
    convicted = court.filter(result=CourtResultKind.CONVICTED)
    heard = Q(court_hearings__heard_on__lte=timezone.localdate())
    in_court = (
        Record.objects.filter(pk__in=crime_ids)
        .annotate(first=Coalesce(Min("court_hearings__heard_on", filter=heard), Min("court_results__decided_on")))
        .filter(first__isnull=False)
    )
    return {
        # Not "recorded as a crime": every route records a report as it takes it, so the interval
        # says nothing, and sorting every crime by it was most of the funnel's cost.
        "recorded_crime": None,
        "suspect_identified": median(
            InvestigationOutcome.objects.filter(record__in=crime_ids, suspect_identified=True), F("decided_on"), reported
        ),
        "charged": median(charges, F("decided_on"), reported),
        # The first hearing that has happened, where one is recorded; otherwise the court's result.
        "prosecuted": median(in_court, F("first"), TruncDate("reported_at")),
        "convicted": median(convicted, F("decided_on"), reported),
        "uplift": median(convicted.filter(uplift_applied=True), F("decided_on"), reported),
    }


def write_stages_csv(funnel: Funnel, out: Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["stage", "count", "percent_of_reported", "open_at_stage"])
    for stage in funnel.stages:
        writer.writerow([stage.key, stage.count, f"{stage.percent_of_reported:.1f}", stage.open_at_stage])


def write_reasons_csv(funnel: Funnel, out: Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["after_stage", "reason", "count"])
    for reason in funnel.reasons:
        writer.writerow([reason.after_stage, reason.reason, reason.count])
