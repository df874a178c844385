"""Demo risk data: the default questionnaire and ~60 assessments on the force's records, the high
ones with plans whose actions go to Eastside Borough Council and Thameside Homes, a few overdue."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation
from umbrella.cases.models import PersonRole, Record, RecordStatus
from umbrella.risk.models import RiskAction, RiskAssessment
from umbrella.risk.seed import default_question_rows, seed_default_questionnaire
from umbrella.risk.services import action_add, assessment_create

COUNT = 60


def _answers(rng: random.Random, level: str) -> dict[str, str]:
    answers = {row["key"]: (row["choices"][0][0] if row["choices"] else "no") for row in default_question_rows()}
    if level == "high":
        answers.update(threat_to_kill="yes", home_targeted="yes", feels_targeted=rng.choice(["yes", "no"]))
    elif level == "medium":
        answers.update(injury_or_weapon="yes", escalating="yes")
    for key in ("isolated", "communication"):
        answers[key] = rng.choice(["no", "no", "dont_know"])
    return answers


def load_demo(*, seed: int, now: datetime) -> str:
    seed_default_questionnaire()
    officer = User.objects.filter(username="officer").first()
    council = Organisation.objects.filter(slug="eastside").first()
    housing = Organisation.objects.filter(slug="thameside").first()
    if officer is None or officer.organisation_id is None or council is None or housing is None:
        return "risk: demo personas missing, nothing added"
    candidates = list(
        Record.objects.filter(organisation_id=officer.organisation_id)
        .exclude(status=RecordStatus.DRAFT)
        .filter(people__role=PersonRole.VICTIM)
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()[:2000]
    )
    if RiskAssessment.objects.filter(record_id__in=candidates).exists():
        return "risk: demo assessments already loaded"
    rng = random.Random(seed)
    chosen = sorted(rng.sample(candidates, min(COUNT, len(candidates))))
    levels = {"high": 0, "medium": 0, "standard": 0}
    actions = overdue = 0
    for number, record_id in enumerate(chosen):
        record = Record.objects.get(pk=record_id)
        level = "high" if number % 4 == 0 else "medium" if number % 4 == 1 else "standard"
        assessment = assessment_create(actor=officer, record=record, answers=_answers(rng, level))
        levels[assessment.level] += 1
        if assessment.level != "high":
            continue
        due = now.date() + timedelta(days=rng.randint(3, 21))
        plan = [
            ("target_hardening", "Fit a letterbox fire guard and a door camera at the victim's home", council),
            ("housing_move", "Consider a management move for the victim's household", housing),
            ("patrol", "Add the street to the neighbourhood team's patrol plan for four weeks", officer.organisation),
        ]
        for action_type, description, organisation in plan:
            assert organisation is not None
            made = action_add(actor=officer, assessment=assessment, action_type=action_type, description=description,
                              assigned_organisation=organisation, due_date=due)
            actions += 1
            if number % 8 == 0 and organisation != officer.organisation:
                # Some partner actions are already late, so the owner's worklist shows overdue alerts.
                RiskAction.objects.filter(pk=made.pk).update(due_date=now.date() - timedelta(days=rng.randint(1, 10)))
                overdue += 1
        if number % 12 == 0:
            # Assessed more than 28 days ago: due for reassessment.
            RiskAssessment.objects.filter(pk=assessment.pk).update(assessed_at=now - timedelta(days=35))
    return (f"risk: {len(chosen)} assessments ({levels['high']} high, {levels['medium']} medium, "
            f"{levels['standard']} standard), {actions} plan actions ({overdue} overdue)")
