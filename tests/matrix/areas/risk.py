"""Risk pages (/risk/): who assesses, who reads assessments, who works plan actions, and who edits
the questionnaire. Assessing follows the record pages' writer rules (role 403, scope 404, a share
is read-only 403); an action is visible to the record's readers and to the organisation it is
assigned to, which sees only the record's reference and what to do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    FORCE_RECORD_READERS,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    SYSTEM_ADMIN,
    Expect,
    admin_page,
    both_records,
    every,
    only,
    readers_of,
    shared_read,
    shared_write,
    web_record_read,
    web_record_write,
)
from tests.matrix.fixtures import MatrixWorld

ACTION_WORKERS = ("officer", "hub_reviewer", "caseworker", "other_caseworker", "outsider", "supervisor")


def _assessment(m: MatrixWorld, which: str) -> Any:
    from tests.risk.factories import assess, high_answers
    from umbrella.risk.models import RiskAssessment

    record = m.centre_record if which == "centre" else m.force_record
    owner = m.world.caseworker if which == "centre" else m.world.officer
    return RiskAssessment.objects.filter(record=record).first() or assess(owner, record, high_answers())


def assessment(which: str) -> Any:
    return lambda m: {"assessment_id": _assessment(m, which).pk}


def _action(m: MatrixWorld, which: str) -> Any:
    from umbrella.risk.models import RiskAction
    from umbrella.risk.services import action_add

    found = _assessment(m, which)
    existing = RiskAction.objects.filter(plan__assessment=found).first()
    if existing is not None:
        return existing
    owner = m.world.caseworker if which == "centre" else m.world.officer
    other = m.world.force if which == "centre" else m.world.centre
    return action_add(
        actor=owner, assessment=found, action_type="target_hardening", description="Fit a letterbox guard",
        assigned_organisation=other, due_date=timezone.localdate() + timedelta(days=7),
    )


def action(which: str) -> Any:
    return lambda m: {"action_id": _action(m, which).pk}


def _questionnaire(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.risk.seed import seed_default_questionnaire

    return {"questionnaire_id": seed_default_questionnaire().pk}


def _question(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.risk.seed import seed_default_questionnaire

    questionnaire = seed_default_questionnaire()
    return {"questionnaire_id": questionnaire.pk, "question_id": questionnaire.questions.first().pk}  # type: ignore[union-attr]


def assessment_read(which: str) -> Expect:
    base = web_record_read(which)
    return Expect(get=base.get, kwargs=assessment(which), reveals=base.reveals)


def assessment_write(which: str) -> Expect:
    base = web_record_write(which)
    return Expect(get=base.get, write=base.write, kwargs=assessment(which))


def request_reassessment(which: str) -> Expect:
    readers = readers_of(which)
    refused = {p: FORBIDDEN for p in ("analyst", "scrutiny_member", "org_admin", "system_admin")}
    return Expect(
        get=every(NOT_ALLOWED),
        write=only(tuple(p for p in readers if p in ACTION_WORKERS), ACCEPTED, others=NOT_FOUND, **refused),
        kwargs=web_record_read(which).kwargs,
    )


ASSIGNED_TO_FORCE = ("officer", "hub_reviewer", "supervisor")
FORCE_ACTION_READERS = (*FORCE_RECORD_READERS, "caseworker")
CENTRE_ACTION_READERS = ("caseworker", *ASSIGNED_TO_FORCE)


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "risk:record-risk": {
        **both_records(web_record_read),
        "centre record shared anonymised": shared_read(web_record_read("centre")),
    },
    "risk:assess": {
        **both_records(web_record_write),
        "centre record shared anonymised": shared_write(web_record_write("centre")),
    },
    "risk:request-reassessment": both_records(request_reassessment),
    "risk:assessment": both_records(assessment_read),
    "risk:override": both_records(assessment_write),
    "risk:action-add": both_records(assessment_write),
    "risk:actions": {"": Expect(get=only(ACTION_WORKERS, OK, others=FORBIDDEN))},
    "risk:action": {
        # The force's plan gives the centre an action: the centre's caseworker sees and completes it.
        "force action for the centre": Expect(
            get=only(FORCE_ACTION_READERS, OK, others=NOT_FOUND),
            write=only(("caseworker", *ASSIGNED_TO_FORCE), ACCEPTED, others=NOT_FOUND, analyst=FORBIDDEN),
            kwargs=action("force"),
        ),
        # The centre's plan gives the force an action: the force's staff see the centre record's
        # reference and what to do, nothing else of the record.
        "centre action for the force": Expect(
            get=only(CENTRE_ACTION_READERS, OK, others=NOT_FOUND),
            write=only(CENTRE_ACTION_READERS, ACCEPTED, others=NOT_FOUND),
            kwargs=action("centre"),
            reveals=frozenset(CENTRE_ACTION_READERS),
            may_see=dict.fromkeys(ASSIGNED_TO_FORCE, frozenset({"reference"})),
        ),
    },
    "risk:questionnaires": {"": admin_page(SYSTEM_ADMIN, writes=False)},
    "risk:questionnaire-new-draft": {"": Expect(
        get=every(NOT_ALLOWED, anonymous=LOGIN), write=only(SYSTEM_ADMIN, ACCEPTED, others=NOT_FOUND)
    )},
    "risk:questionnaire": {"": admin_page(SYSTEM_ADMIN, kwargs=_questionnaire, writes=False)},
    "risk:questionnaire-thresholds": {"": admin_page(SYSTEM_ADMIN, kwargs=_questionnaire)},
    "risk:question-edit": {"": admin_page(SYSTEM_ADMIN, kwargs=_question)},
    "risk:questionnaire-activate": {"": Expect(
        get=every(NOT_ALLOWED, anonymous=LOGIN), write=only(SYSTEM_ADMIN, ACCEPTED, others=NOT_FOUND),
        kwargs=_questionnaire,
    )},
}
