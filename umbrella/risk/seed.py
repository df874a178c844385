"""The default questionnaire, written from the vulnerability and repeat-victimisation factors in
DOMAIN.md section 6: a limited number of questions, three levels, room for judgement (override)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.risk import actions
from umbrella.risk.models import (
    AnswerType,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    ScoringRule,
    Section,
)

MEDIUM_THRESHOLD = 6
HIGH_THRESHOLD = 12

# (key, section, text, help, choices or None for yes/no, {answer: points}, answers forcing high)
DEFAULT_QUESTIONS: list[tuple[str, str, str, str, list[list[str]] | None, dict[str, int], set[str]]] = [
    ("injury_or_weapon", Section.INCIDENT, "Was the victim injured, or was a weapon used or shown?",
     "Include threats made while holding something that could be used as a weapon.", None, {"yes": 3}, set()),
    ("threat_to_kill", Section.INCIDENT, "Has anyone threatened to kill or seriously harm the victim or their family?",
     "A credible threat of serious harm means the risk is high whatever else is answered.", None, {"yes": 4}, {"yes"}),
    ("home_targeted", Section.INCIDENT, "Did the incident happen at, or target, the victim's home?",
     "For example damage to the door, graffiti or items pushed through the letterbox.", None, {"yes": 2}, set()),
    ("health_disability", Section.VULNERABILITY,
     "Does the victim have a disability, long-term illness, mental health condition or substance-misuse need?",
     "Learning or physical disability, mental ill health, drug or alcohol dependency.", None, {"yes": 2}, set()),
    ("isolated", Section.VULNERABILITY, "Is the victim isolated, with little support from family, friends or neighbours?",
     "", None, {"yes": 2}, set()),
    ("communication", Section.VULNERABILITY,
     "Does the victim need an interpreter, or find it hard to communicate with services?", "", None, {"yes": 1}, set()),
    ("age_dependency", Section.VULNERABILITY, "Is the victim a child, or an older person who depends on others for care?",
     "", None, {"yes": 1}, set()),
    ("circumstances", Section.VULNERABILITY,
     "Is the victim's housing insecure or overcrowded, or are they in financial hardship?", "", None, {"yes": 1}, set()),
    ("previous_incidents", Section.REPEAT, "How many other incidents has the victim experienced in the last 12 months?",
     "Count incidents not reported to the police as well.",
     [["none", "None"], ["one", "One"], ["two_or_more", "Two or more"], ["dont_know", "Don't know"]],
     {"one": 2, "two_or_more": 4}, set()),
    ("feels_targeted", Section.REPEAT, "Does the victim feel they are being targeted again and again?",
     "Ask the victim; their own view counts as a repeat factor.", None, {"yes": 2}, set()),
    ("escalating", Section.ESCALATION, "Are the incidents becoming more frequent or more serious?", "", None,
     {"yes": 3}, set()),
    ("suspect_nearby", Section.SUSPECT, "Does the suspect live near the victim, or know where they live or work?", "",
     None, {"yes": 2}, set()),
    ("suspect_history", Section.SUSPECT,
     "Is the suspect known for violence, hate offending or breaking court orders?", "", None, {"yes": 3}, set()),
    ("group_involved", Section.SUSPECT, "Is a group of people involved in targeting the victim?", "", None,
     {"yes": 2}, set()),
    ("victim_fear", Section.VICTIM_VIEW, "How frightened is the victim that they will be harmed?", "Ask in their words.",
     [["not", "Not frightened"], ["somewhat", "Somewhat frightened"], ["very", "Very frightened"]],
     {"somewhat": 1, "very": 3}, set()),
]


def default_question_rows() -> list[dict[str, Any]]:
    return [
        {"key": key, "section": str(section), "text": text, "help": help_text, "choices": choices, "points": points,
         "forces_high": forced}
        for key, section, text, help_text, choices, points, forced in DEFAULT_QUESTIONS
    ]


@transaction.atomic
def seed_default_questionnaire() -> Questionnaire:
    """Makes version 1 active when there is no questionnaire yet; otherwise returns the active one."""
    existing = Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()
    if existing is not None:
        return existing
    latest = Questionnaire.objects.order_by("-version").first()
    if latest is not None:
        return latest
    questionnaire = Questionnaire.objects.create(
        version=1,
        status=QuestionnaireStatus.ACTIVE,
        medium_threshold=MEDIUM_THRESHOLD,
        high_threshold=HIGH_THRESHOLD,
        activated_at=timezone.now(),
    )
    for order, row in enumerate(default_question_rows(), start=1):
        Question.objects.create(
            questionnaire=questionnaire,
            key=row["key"],
            text=row["text"],
            help=row["help"],
            section=row["section"],
            answer_type=AnswerType.CHOICE if row["choices"] else AnswerType.YES_NO,
            choices=row["choices"] or [],
            order=order * 10,
        )
        for answer, points in row["points"].items():
            ScoringRule.objects.create(
                questionnaire=questionnaire, question_key=row["key"], answer=answer, points=points,
                forces_high=answer in row["forces_high"],
            )
    audit_event_write(
        actor=None,
        action=actions.RISK_QUESTIONNAIRE_SEED,
        target=questionnaire,
        target_label=f"Risk questionnaire version {questionnaire.version}",
        changes={"version": 1, "questions": len(DEFAULT_QUESTIONS)},
    )
    return questionnaire
