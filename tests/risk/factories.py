"""Helpers for risk tests: answers that give each level with the default questionnaire."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import User
from umbrella.cases.models import Record
from umbrella.risk.models import RiskAssessment
from umbrella.risk.seed import default_question_rows, seed_default_questionnaire
from umbrella.risk.services import assessment_create


def calm_answers() -> dict[str, str]:
    """Every question answered with its lowest-scoring answer (standard risk)."""
    seed_default_questionnaire()
    answers = {}
    for row in default_question_rows():
        answers[row["key"]] = row["choices"][0][0] if row["choices"] else "no"
    return answers


def high_answers() -> dict[str, str]:
    return {**calm_answers(), "threat_to_kill": "yes", "feels_targeted": "yes"}


def medium_answers() -> dict[str, str]:
    # 3 + 3 = 6: the default medium threshold.
    return {**calm_answers(), "injury_or_weapon": "yes", "escalating": "yes"}


def assess(actor: User, record: Record, answers: dict[str, str] | None = None, **kwargs: Any) -> RiskAssessment:
    return assessment_create(actor=actor, record=record, answers=answers or calm_answers(), **kwargs)
