"""Every read of dip-sampling, scoped to the reader: a panel member reads their body's samples and
its cases with identities removed; a force supervisor reads the feedback on the force's cases.
Anyone else, and any other case, gets DoesNotExist (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.care.models import ReferralStatus, TimerStatus
from umbrella.cases.selectors import narrative_for_panel
from umbrella.core.extensions import BoardMeasure
from umbrella.crypto.fields import decrypt
from umbrella.scrutiny import actions
from umbrella.scrutiny.models import (
    COMMENTS_COLUMN,
    QUESTIONS,
    RESPONSE_COLUMN,
    Answer,
    DipSample,
    SampledCase,
)
from umbrella.scrutiny.policy import answers_feedback, is_panel_member

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def samples_for(user: User) -> QuerySet[DipSample]:
    if not is_panel_member(user):
        return DipSample.objects.none()
    return DipSample.objects.filter(scrutiny_body_id=user.organisation_id).annotate(
        reviewed=Count("cases", filter=Q(cases__reviewed_at__isnull=False)), total=Count("cases"),
    )


def sample_cases(user: User, sample: DipSample) -> QuerySet[SampledCase]:
    return SampledCase.objects.filter(sample=sample, sample__in=samples_for(user))


def feedback_for_force(user: User) -> QuerySet[SampledCase]:
    """The panel's feedback on the supervisor's force's cases, unanswered first."""
    if not answers_feedback(user) or user.organisation_id is None:
        return SampledCase.objects.none()
    return (SampledCase.objects.filter(record__organisation_id=user.organisation_id, reviewed_at__isnull=False)
            .select_related("record", "sample", "sample__scrutiny_body").order_by("-responded_at", "-reviewed_at"))


def sampled_case_get(*, user: User, case_id: int) -> SampledCase:
    case = SampledCase.objects.select_related("sample", "sample__scrutiny_body", "record", "record__organisation").get(pk=case_id)
    panel = is_panel_member(user) and user.organisation_id == case.sample.scrutiny_body_id
    force = answers_feedback(user) and user.organisation_id == case.record.organisation_id and case.is_reviewed
    if not (panel or force):
        raise SampledCase.DoesNotExist
    return case


@dataclass(frozen=True)
class PanelCase:
    """A sampled case as the panel reads it: what happened, never who it happened to."""

    case: SampledCase
    number: int  # its place in the month's sample
    kind: str
    strands: list[str]
    borough: str
    reported_month: str
    status: str
    closure_reason: str
    narrative: str
    outcome: str
    care: list[str]
    comments: str
    response: str
    answers: list[tuple[str, str]]
    # The force sees its own reference, to find the case; the panel does not.
    reference: str


@decrypts
def panel_case(*, user: User, case: SampledCase) -> PanelCase:
    """The case with identities removed; the read is audited."""
    from umbrella.care.models import Referral, Timer, VictimContact
    from umbrella.outcomes.selectors import outcomes_of
    from umbrella.risk.models import RiskAssessment

    record = case.record
    strands = [
        f"{row.strand.label}{f' ({row.sub_category.label})' if row.sub_category else ''}, perceived by the {row.perceiver.label.lower()}"
        for row in record.strands.select_related("strand", "sub_category", "perceiver")
    ]
    latest = outcomes_of(record=record).first()
    timers = list(Timer.objects.filter(record=record, due_at__lte=timezone.now()).exclude(status=TimerStatus.CANCELLED)
                  .only("met_at", "due_at"))
    due, on_time = len(timers), sum(1 for t in timers if t.met_at and t.met_at <= t.due_at)
    assessed = RiskAssessment.objects.filter(record=record).order_by("-assessed_at").first()
    referrals = list(Referral.objects.filter(record=record).select_related("to_organisation"))
    care = [
        f"{VictimContact.objects.filter(record=record).count()} contacts with the victim recorded",
        f"Victims' Code timers due: {due}, met on time: {on_time}",
        f"Risk assessed: {assessed.get_level_display().lower() if assessed else 'no'}",
        *(f"Referred to a {referral.to_organisation.get_kind_display().lower()}: "
          f"{ReferralStatus(referral.status).label.lower()}" for referral in referrals),
    ]
    sample_ids = list(SampledCase.objects.filter(sample_id=case.sample_id).values_list("pk", flat=True))
    audit_event_write(actor=user, action=actions.SAMPLED_CASE_VIEW, target=case, target_label=f"Sampled case {case.pk}",
                      record_id=record.pk, changes={"redacted": True})
    return PanelCase(
        case=case, number=sample_ids.index(case.pk) + 1, kind=str(record.get_kind_display()), strands=strands,
        borough=record.borough.label if record.borough else "Online or not recorded",
        reported_month=f"{timezone.localtime(record.reported_at):%B %Y}", status=str(record.get_status_display()),
        closure_reason=record.closure_reason.label if record.closure_reason else "",
        narrative=narrative_for_panel(record=record),
        outcome=(f"{latest.outcome.label} ({'suspect identified' if latest.suspect_identified else 'no suspect identified'})"
                 if latest else "None recorded"),
        care=care,
        comments=decrypt(case.comments, column=COMMENTS_COLUMN), response=decrypt(case.response, column=RESPONSE_COLUMN),
        answers=[(question, str(Answer(getattr(case, field)).label) if getattr(case, field) else "")
                 for field, question in QUESTIONS.items()],
        reference=record.reference if answers_feedback(user) else "",
    )


def board_measures(record_ids: object) -> list[BoardMeasure]:
    """For the board: the sampled cases among the records counted, reviewed, and answered 'yes'."""
    cases = SampledCase.objects.filter(record_id__in=record_ids)
    reviewed = cases.filter(reviewed_at__isnull=False)
    counted = reviewed.aggregate(total=Count("pk"), **{field: Count("pk", filter=Q(**{field: Answer.YES}))
                                                       for field in QUESTIONS})
    return [
        BoardMeasure("Dip sampling", "Sampled cases reviewed by the panel", counted["total"], cases.count()),
        *(BoardMeasure("Dip sampling", f"{question} Yes", counted[field], counted["total"], "of the cases reviewed")
          for field, question in QUESTIONS.items()),
        BoardMeasure("Dip sampling", "Feedback answered by the force", reviewed.filter(responded_at__isnull=False).count(),
                     counted["total"]),
    ]
