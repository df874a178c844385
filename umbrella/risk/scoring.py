"""Scoring an assessment from the questionnaire's data: points per answer, thresholds, and
answers that mean "at least high" whatever the total."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from umbrella.risk.models import Question, Questionnaire, RiskLevel, ScoringRule


@dataclass(frozen=True)
class ScoreResult:
    score: int
    level: str
    reasons: list[dict[str, Any]] = field(default_factory=list)


def score_answers(
    *,
    questionnaire: Questionnaire,
    questions: Iterable[Question],
    rules: Iterable[ScoringRule],
    answers: Mapping[str, str],
) -> ScoreResult:
    by_key = {question.key: question for question in questions}
    rule_for = {(rule.question_key, rule.answer): rule for rule in rules}
    score = 0
    forced = False
    reasons: list[dict[str, Any]] = []
    for key, question in by_key.items():
        answer = answers.get(key, "")
        rule = rule_for.get((key, answer))
        if rule is None or (rule.points == 0 and not rule.forces_high):
            continue
        score += rule.points
        forced = forced or rule.forces_high
        reasons.append(
            {
                "key": key,
                "text": question.text,
                "answer": answer,
                "answer_label": dict(question.answer_choices()).get(answer, answer),
                "points": rule.points,
                "forces_high": rule.forces_high,
            }
        )
    if forced or score >= questionnaire.high_threshold:
        level = RiskLevel.HIGH
    elif score >= questionnaire.medium_threshold:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.STANDARD
    return ScoreResult(score=score, level=str(level), reasons=reasons)
