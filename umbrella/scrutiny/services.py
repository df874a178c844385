"""Every write of dip-sampling: drawing a month's sample, the panel's feedback, the force's answer."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Record, RecordStatus, RecordStrand
from umbrella.crypto.fields import encrypt
from umbrella.reference.selectors import current_codes
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
from umbrella.statistics.forms import months_back

if TYPE_CHECKING:
    from umbrella.accounts.models import User

HATE_KINDS = ("hate_crime", "nchi")
# Cases reported in the sampled month and the five before it, closed by now: a case closed this
# month was usually reported a little earlier.
LOOK_BACK_MONTHS = 6


@transaction.atomic
def sample_draw(
    *, actor: User | None, scrutiny_body: Organisation, month: date, per_strand: int = 2, seed: int | None = None
) -> DipSample:
    """Draws a month's sample for a scrutiny body: up to ``per_strand`` closed police cases for each
    strand, at random (the seed is kept, so the draw can be repeated), never a case sampled before
    for that body. Refused for an organisation that is not a scrutiny body, or a month drawn already."""
    month = month.replace(day=1)
    if scrutiny_body.kind != OrganisationKind.SCRUTINY_BODY:
        raise ValidationError({"scrutiny_body": "Samples go to a scrutiny body: choose one"})
    if not 1 <= per_strand <= 20:
        raise ValidationError({"per_strand": "Sample between 1 and 20 cases for each strand"})
    if DipSample.objects.filter(scrutiny_body=scrutiny_body, month=month).exists():
        raise ValidationError({"month": f"{scrutiny_body.name}'s sample for {month:%B %Y} has been drawn already"})
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    first, after = months_back(month, LOOK_BACK_MONTHS), months_back(month, 0)
    start = datetime(first.year, first.month, 1, tzinfo=timezone.get_current_timezone())
    end = datetime(after.year, after.month, 1, tzinfo=timezone.get_current_timezone())
    closed = Record.objects.filter(
        organisation__kind=OrganisationKind.POLICE_FORCE, status=RecordStatus.CLOSED, kind__in=HATE_KINDS,
        reported_at__gte=start, reported_at__lt=end,
    ).exclude(pk__in=SampledCase.objects.filter(sample__scrutiny_body=scrutiny_body).values("record_id"))
    sample = DipSample.objects.create(scrutiny_body=scrutiny_body, month=month, per_strand=per_strand, seed=seed,
                                      drawn_by=actor)
    chosen: set[int] = set()
    cases = []
    for strand in current_codes(scheme="strand"):
        pool = sorted(set(RecordStrand.objects.filter(record__in=closed, strand=strand).values_list("record_id", flat=True))
                      - chosen)
        for record_id in rng.sample(pool, min(per_strand, len(pool))):
            chosen.add(record_id)
            cases.append(SampledCase(sample=sample, record_id=record_id, strand=strand.code))
    SampledCase.objects.bulk_create(cases)
    audit_event_write(
        actor=actor, action=actions.SAMPLE_DRAW, target=sample, target_label=f"{scrutiny_body.name} {month:%Y-%m}",
        changes={"month": f"{month:%Y-%m}", "per_strand": per_strand, "seed": seed, "cases": len(cases)},
    )
    return sample


@transaction.atomic
def feedback_record(*, actor: User, case: SampledCase, answers: dict[str, str], comments: str = "") -> SampledCase:
    """The panel's feedback on a sampled case: an answer to every question, and any comments.
    Only a member of the scrutiny body the case was sampled for (anyone else: the case does not exist)."""
    case = SampledCase.objects.select_for_update().select_related("sample", "record").get(pk=case.pk)
    if not is_panel_member(actor) or actor.organisation_id != case.sample.scrutiny_body_id:
        raise SampledCase.DoesNotExist
    errors = {field: "Answer the question" for field in QUESTIONS if answers.get(field) not in Answer.values}
    if errors:
        raise ValidationError(errors)
    for field in QUESTIONS:
        setattr(case, field, answers[field])
    case.comments = encrypt(comments.strip(), organisation_id=case.record.organisation_id, column=COMMENTS_COLUMN) or ""
    case.reviewed_by, case.reviewed_at = actor, timezone.now()
    case.save()
    audit_event_write(
        actor=actor, action=actions.SAMPLED_CASE_FEEDBACK, target=case, target_label=f"Sampled case {case.pk}",
        record_id=case.record_id, changes={**{field: answers[field] for field in QUESTIONS},
                                           "comments": "set" if comments.strip() else "empty"},
    )
    return case


@transaction.atomic
def response_record(*, actor: User, case: SampledCase, response: str) -> SampledCase:
    """The owning force's answer to the panel's feedback, by one of its supervisors."""
    case = SampledCase.objects.select_for_update().select_related("record").get(pk=case.pk)
    if not answers_feedback(actor) or actor.organisation_id != case.record.organisation_id or not case.is_reviewed:
        raise SampledCase.DoesNotExist
    if not response.strip():
        raise ValidationError({"response": "Enter your answer to the panel"})
    case.response = encrypt(response.strip(), organisation_id=case.record.organisation_id, column=RESPONSE_COLUMN) or ""
    case.responded_by, case.responded_at = actor, timezone.now()
    case.save(update_fields=["response", "responded_by", "responded_at"])
    audit_event_write(
        actor=actor, action=actions.SAMPLED_CASE_RESPONSE, target=case, target_label=f"Sampled case {case.pk}",
        record_id=case.record_id, changes={"response": "set"},
    )
    return case
