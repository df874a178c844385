"""Every read of the risk app, scoped to the user.

``repeat_indicators`` and ``latest_assessment`` are the interface CONFERENCES and CARE use.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.cases.models import (
    PersonRole,
    Record,
    RecordPerson,
    RecordStrand,
    person_column,
)
from umbrella.cases.scoping import record_is_visible
from umbrella.core.extensions import BoardMeasure
from umbrella.crypto.fields import decrypt
from umbrella.risk.models import (
    ANSWERS_COLUMN,
    DESCRIPTION_COLUMN,
    OUTCOME_COLUMN,
    RATIONALE_COLUMN,
    REASONS_COLUMN,
    ActionStatus,
    PromptReason,
    Questionnaire,
    QuestionnaireStatus,
    ReassessmentPrompt,
    RiskAction,
    RiskAssessment,
    RiskLevel,
)
from umbrella.risk.policy import can_assess, can_work_actions
from umbrella.risk.repeat import INDEX_FIELDS, PERSON_KINDS, matching_victim_rows
from umbrella.risk.services import (
    HIGH_REVIEW_DAYS,
)

if TYPE_CHECKING:
    from umbrella.accounts.models import User

DEFAULT_WINDOW_DAYS = 365


# ---------------------------------------------------------------------------
# Assessments
# ---------------------------------------------------------------------------


def _visible(user: User, record: Record) -> bool:
    return record_is_visible(user, record.pk)


def latest_assessment(*, user: User, record: Record) -> RiskAssessment | None:
    """The record's most recent assessment (``.level``: "standard" | "medium" | "high"), or None."""
    if not _visible(user, record):
        return None
    return (
        RiskAssessment.objects.filter(record=record)
        .select_related("questionnaire", "assessor")
        .order_by("-assessed_at", "-id")
        .first()
    )


def assessments_for(*, user: User, record: Record) -> list[RiskAssessment]:
    if not _visible(user, record):
        return []
    return list(
        RiskAssessment.objects.filter(record=record).select_related("questionnaire", "assessor").order_by("-assessed_at", "-id")
    )


def assessment_get(*, user: User, assessment_id: int) -> RiskAssessment:
    """An assessment of a record the user can see, or RiskAssessment.DoesNotExist."""
    return RiskAssessment.objects.select_related(
        "record", "record__organisation", "questionnaire", "assessor", "overridden_by", "victim"
    ).get(pk=assessment_id, record__in=Record.objects.visible_to(user))


@decrypts
def override_rationale(assessment: RiskAssessment) -> str:
    return decrypt(assessment.override_rationale, column=RATIONALE_COLUMN)


@dataclass(frozen=True)
class AnswerView:
    section: str
    key: str
    text: str
    answer_label: str
    points: int
    forces_high: bool


@decrypts
def assessment_answers(assessment: RiskAssessment) -> dict[str, str]:
    """The answers given, by question key. Callers show them only to readers of the assessment."""
    answers: dict[str, str] = json.loads(decrypt(assessment.answers, column=ANSWERS_COLUMN) or "{}")
    return answers


@decrypts
def scored_reasons(assessment: RiskAssessment) -> list[dict[str, Any]]:
    """The answers that scored, as the scoring recorded them when the level was computed."""
    reasons: list[dict[str, Any]] = json.loads(decrypt(assessment.computed_reasons, column=REASONS_COLUMN) or "[]")
    return reasons


@decrypts
def answers_view(assessment: RiskAssessment) -> list[AnswerView]:
    """Every answer, in the questionnaire version's own order and wording (the version used)."""
    answers = assessment_answers(assessment)
    questionnaire = assessment.questionnaire
    rules = {(r.question_key, r.answer): r for r in questionnaire.rules.all()}
    rows = []
    for question in questionnaire.questions.all():
        answer = answers.get(question.key, "")
        rule = rules.get((question.key, answer))
        rows.append(
            AnswerView(
                section=question.get_section_display(),
                key=question.key,
                text=question.text,
                answer_label=dict(question.answer_choices()).get(answer, "Not answered"),
                points=rule.points if rule else 0,
                forces_high=bool(rule and rule.forces_high),
            )
        )
    return rows


@dataclass(frozen=True)
class AssessmentText:
    answers: list[AnswerView]
    reasons: list[dict[str, Any]]
    rationale: str


@decrypts
def assessment_text(*, user: User, assessment: RiskAssessment) -> AssessmentText:
    """What the assessment page shows of the sealed columns, read as one audited read by ``user``
    (who reached the assessment through ``assessment_get``, so may see its record)."""
    return AssessmentText(
        answers=answers_view(assessment),
        reasons=scored_reasons(assessment),
        rationale=override_rationale(assessment) if assessment.override_level else "",
    )


@decrypts
def victim_choices(*, user: User, record: Record) -> list[tuple[str, str]]:
    """The record's victims as (person id, name) for the assessor (the owning organisation)."""
    if not can_assess(user, record):
        return []
    choices = []
    links = RecordPerson.objects.filter(record=record, role=PersonRole.VICTIM).select_related("person").order_by("id")
    for number, link in enumerate(links, start=1):
        person = link.person
        name = " ".join(
            part
            for part in (
                decrypt(person.given_name, column=person_column("given_name")),
                decrypt(person.family_name, column=person_column("family_name")),
            )
            if part
        )
        choices.append((str(person.pk), name or f"Victim {number} (name not given)"))
    return choices


# ---------------------------------------------------------------------------
# Repeat victimisation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatMatch:
    record_id: int
    reference: str
    reported_at: datetime
    organisation_name: str
    strands: tuple[str, ...]
    same_strand: bool
    matched_on: tuple[str, ...]

    @property
    def matched_on_labels(self) -> list[str]:
        return [INDEX_FIELDS[name] for name in self.matched_on]

    @property
    def same_person(self) -> bool:
        return any(name in PERSON_KINDS for name in self.matched_on)


@dataclass(frozen=True)
class RepeatSummary:
    window_days: int
    # Records the user may see, with details.
    matches: tuple[RepeatMatch, ...] = ()
    # A bare fact: a matching record exists in the user's own organisation where the user may not
    # see it. Deliberately no count, reference or date, and never for another organisation's record.
    elsewhere: bool = False
    victim_feels_targeted: bool = False
    matched_on: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_repeat(self) -> bool:
        return bool(self.matches) or self.elsewhere or self.victim_feels_targeted

    @property
    def same_strand_count(self) -> int:
        return sum(1 for m in self.matches if m.same_strand)

    @property
    def any_strand_count(self) -> int:
        return len(self.matches)


def repeat_indicators(*, user: User, record: Record, window_days: int = DEFAULT_WINDOW_DAYS) -> RepeatSummary:
    """Repeat victimisation for one record: other records within ``window_days`` (either side of
    when this one was reported) whose victim has the same name and date of birth, phone, email or
    postcode as this record's victim, in every organisation. Matches the user may see come with
    details; for the rest only the bare fact that one exists is returned.

    Six queries whatever the number of records or matches: the victim's indexes, the matches
    (index probes), the visible ones with their details (this record included, which is the
    scope check), their strands, the victim's own view, and the sharing list scoping needs."""
    rows = matching_victim_rows(record=record, since=None, window_days=window_days)
    ids = [row.record_id for row in rows]
    details = {
        pk: (reference, reported_at, organisation_name)
        for pk, reference, reported_at, organisation_name in Record.objects.visible_to(user)
        .filter(pk__in=[record.pk, *ids])
        .values_list("pk", "reference", "reported_at", "organisation__name")
    }
    if record.pk not in details:
        return RepeatSummary(window_days=window_days)
    feels = RiskAssessment.objects.filter(record=record, victim_feels_targeted=True).exists()
    if not rows:
        return RepeatSummary(window_days=window_days, victim_feels_targeted=feels)
    # Only a match in the user's own organisation may be signalled without details: a record of
    # another organisation the user cannot see must leave no trace at all, or one lookup would tell
    # the police who reported to a centre (the owner has not shared it, the victim not consented).
    elsewhere = any(row.record_id not in details and row.organisation_id == user.organisation_id for row in rows)
    matches: list[RepeatMatch] = []
    visible_ids = [row.record_id for row in rows if row.record_id in details]
    if visible_ids:
        strand_rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for record_id, strand_id, label in RecordStrand.objects.filter(
            record_id__in=[record.pk, *visible_ids]
        ).values_list("record_id", "strand_id", "strand__label"):
            strand_rows[record_id].append((strand_id, label))
        own_strands = {strand_id for strand_id, _ in strand_rows.get(record.pk, [])}
        for row in rows:
            if row.record_id not in details:
                continue
            reference, reported_at, organisation_name = details[row.record_id]
            strands = strand_rows.get(row.record_id, [])
            matches.append(
                RepeatMatch(
                    record_id=row.record_id,
                    reference=reference,
                    reported_at=reported_at,
                    organisation_name=organisation_name,
                    strands=tuple(label for _, label in strands),
                    same_strand=bool(own_strands & {strand_id for strand_id, _ in strands}),
                    matched_on=row.matched_on,
                )
            )
    matched_on = tuple(dict.fromkeys(name for m in matches for name in m.matched_on))
    return RepeatSummary(
        window_days=window_days,
        matches=tuple(matches),
        elsewhere=elsewhere,
        victim_feels_targeted=feels,
        matched_on=matched_on,
    )


# ---------------------------------------------------------------------------
# Reassessment
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReassessmentDue:
    reason: str  # an AssessmentReason value
    text: str
    # Only for a triggering record the user may see.
    record_reference: str = ""
    record_id: int | None = None


def reassessment_due(*, user: User, record: Record, now: datetime | None = None) -> list[ReassessmentDue]:
    """Why the record's risk should be assessed again, most pressing first; empty when not due
    (or never assessed: the panel offers the first assessment instead)."""
    if not _visible(user, record):
        return []
    latest = RiskAssessment.objects.filter(record=record).order_by("-assessed_at", "-id").first()
    if latest is None:
        return []
    now = now or timezone.now()
    due: list[ReassessmentDue] = []
    if latest.level == RiskLevel.HIGH and latest.assessed_at <= now - timedelta(days=HIGH_REVIEW_DAYS):
        due.append(ReassessmentDue("high_28_days", f"High risk, last assessed more than {HIGH_REVIEW_DAYS} days ago."))
    rows = matching_victim_rows(record=record, since=latest.assessed_at, window_days=None)
    if rows:
        visible = {
            r.pk: r.reference
            for r in Record.objects.visible_to(user).filter(pk__in=[row.record_id for row in rows]).only("pk", "reference")
        }
        hidden = False
        for row in rows:
            if row.record_id in visible:
                due.append(ReassessmentDue(
                    "new_incident", "A new incident involving the same victim or address has been recorded.",
                    record_reference=visible[row.record_id], record_id=row.record_id,
                ))
            elif row.organisation_id == user.organisation_id:
                # As in repeat_indicators: never a hint of another organisation's hidden record.
                hidden = True
        if hidden:
            due.append(ReassessmentDue(
                "new_incident", "A new incident involving the same victim or address has been recorded elsewhere."
            ))
    if ReassessmentPrompt.objects.filter(record=record, reason=PromptReason.ON_REQUEST, resolved_by__isnull=True).exists():
        due.append(ReassessmentDue("on_request", "A reassessment has been requested."))
    return due


# ---------------------------------------------------------------------------
# Plans and actions
# ---------------------------------------------------------------------------


def _action_scope(user: User) -> Q:
    """Actions of plans on records the user may see, and actions assigned to the user's organisation."""
    scope = Q(plan__record__in=Record.objects.visible_to(user))
    if can_work_actions(user) and user.organisation_id is not None:
        scope |= Q(assigned_organisation_id=user.organisation_id)
    return scope


def action_get(*, user: User, action_id: int) -> RiskAction:
    return RiskAction.objects.select_related(
        "plan", "plan__record", "plan__owner", "plan__assessment", "assigned_organisation", "assigned_user",
        "completed_by",
    ).filter(_action_scope(user)).get(pk=action_id)


def can_see_record(user: User, record: Record) -> bool:
    return _visible(user, record)


@decrypts
def action_description(action: RiskAction) -> str:
    return decrypt(action.description, column=DESCRIPTION_COLUMN)


@decrypts
def action_outcome(action: RiskAction) -> str:
    return decrypt(action.outcome_note, column=OUTCOME_COLUMN)


def plan_actions(*, user: User, assessment: RiskAssessment) -> list[RiskAction]:
    """The plan's actions with their descriptions (the assessment is already scoped to the user)."""
    actions = list(
        RiskAction.objects.filter(plan__assessment=assessment).select_related("assigned_organisation", "assigned_user")
    )
    for action in actions:
        action.description_text = action_description(action)  # type: ignore[attr-defined]
        action.outcome_text = action_outcome(action)  # type: ignore[attr-defined]
    return actions


def end_of(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def actions_assigned(*, user: User, include_closed: bool = False) -> QuerySet[RiskAction]:
    """Actions assigned to the user's organisation (for that organisation's action list)."""
    if not can_work_actions(user) or user.organisation_id is None:
        return RiskAction.objects.none()
    qs = RiskAction.objects.filter(assigned_organisation_id=user.organisation_id)
    if not include_closed:
        qs = qs.filter(status=ActionStatus.OPEN)
    return qs.select_related("plan__record", "plan__owner", "assigned_user", "assigned_organisation").order_by(
        "due_date", "id")


# ---------------------------------------------------------------------------
# Questionnaire administration
# ---------------------------------------------------------------------------


def questionnaires() -> list[Questionnaire]:
    return list(Questionnaire.objects.order_by("-version"))


def questionnaire_get(*, questionnaire_id: int) -> Questionnaire:
    return Questionnaire.objects.prefetch_related(
        Prefetch("questions"), Prefetch("rules")
    ).get(pk=questionnaire_id)


def active_questionnaire_or_none() -> Questionnaire | None:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()


def rules_by_question(questionnaire: Questionnaire) -> dict[str, dict[str, tuple[int, bool]]]:
    table: dict[str, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for rule in questionnaire.rules.all():
        table[rule.question_key][rule.answer] = (rule.points, rule.forces_high)
    return table


def board_measures(record_ids: Any) -> list[BoardMeasure]:
    """For the scrutiny board: how many of the records counted have a victim risk assessment, and
    how many were assessed high risk at least once."""
    counted = Record.objects.filter(pk__in=record_ids).count()
    assessed = RiskAssessment.objects.filter(record_id__in=record_ids)
    return [
        BoardMeasure("Risk", "Records with a victim risk assessment", assessed.values("record_id").distinct().count(),
                     counted),
        BoardMeasure("Risk", "Records assessed high risk at least once",
                     assessed.filter(Q(override_level=RiskLevel.HIGH) | Q(override_level="", computed_level=RiskLevel.HIGH))
                     .values("record_id").distinct().count(), counted),
    ]
