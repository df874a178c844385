"""Turning a finished draft into reports (umbrella.intake), and checking it is finished."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from umbrella.intake.answers import ReportAnswers
from umbrella.reporting.drafts import OpenDraft, draft_answers, draft_delete, draft_evidence
from umbrella.reporting.steps import SLUGS

# The answers each step must have before the report can be sent.
REQUIRED = {
    "who": "reporter_role",
    "what": "narrative",
    "where": "is_online",
    "why": "strands",
    "offender": "offender_known",
    "contact": "anonymous",
    "destination": "destination",
    "consent": "consents",
}


def first_unanswered(answers: dict[str, Any]) -> str | None:
    """The first step still to answer, or None when the report can be sent."""
    for slug in SLUGS:
        key = REQUIRED.get(slug)
        if key and key not in answers:
            return slug
    return None


def answers_of(opened: OpenDraft, *, language: str, easy_read: bool) -> ReportAnswers:
    data = draft_answers(opened)
    return ReportAnswers.from_json({**data, "language": language, "easy_read": easy_read})


@transaction.atomic
@dataclass(frozen=True)
class Submitted:
    """What the reporter is shown once: the reference, and the check code that goes with it."""

    reference: str
    check_code: str


def draft_submit(*, opened: OpenDraft, language: str, easy_read: bool, client_address_hash: str) -> Submitted:
    """Sends the report to every chosen organisation; returns what the reporter is shown."""
    from umbrella.intake.services import report_submit

    answers = answers_of(opened, language=language, easy_read=easy_read)
    evidence = [item for _, item in draft_evidence(opened)]
    reports = report_submit(
        answers=answers, evidence=evidence, channel="online", actor=None, client_address_hash=client_address_hash
    )
    draft_delete(opened=opened)
    return Submitted(reference=str(reports[0].reference), check_code=reports[0].check_code)
