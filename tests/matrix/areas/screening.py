"""Screening model registry pages: viewers read (others 404), approvers decide (viewers 403)."""

from __future__ import annotations

from typing import Any

from tests.matrix.expectations import ACCEPTED, FORBIDDEN, NOT_FOUND, OK, Expect, only
from tests.matrix.fixtures import MatrixWorld

VIEWERS = ("hub_reviewer", "supervisor", "analyst", "system_admin")
APPROVERS = ("supervisor", "system_admin")
READ_ONLY_VIEWERS = tuple(p for p in VIEWERS if p not in APPROVERS)


def _register(m: MatrixWorld) -> None:
    from tests.screening.factories import register

    register(approve=True)
    register(approve=True)  # a previous approved model exists, so a rollback has somewhere to go
    register()  # and a candidate to approve or reject


def _candidate(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.screening.models import ModelStatus, ScreeningModel

    return {"model_id": ScreeningModel.objects.filter(status=ModelStatus.CANDIDATE).values_list("pk", flat=True).first()}


def _decision(kwargs: Any = None) -> Expect:
    refused = dict.fromkeys(READ_ONLY_VIEWERS, FORBIDDEN)
    return Expect(
        get=only(APPROVERS, NOT_FOUND, others=NOT_FOUND, **refused, supervisor=_NOT_ALLOWED, system_admin=_NOT_ALLOWED),
        write=only(APPROVERS, ACCEPTED, others=NOT_FOUND, **refused),
        arrange=_register,
        **({"kwargs": kwargs} if kwargs else {}),
    )


from tests.matrix.outcomes import Outcome  # noqa: E402

_NOT_ALLOWED = Outcome.NOT_ALLOWED

EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "screening:model-list": {"": Expect(get=only(VIEWERS, OK, others=NOT_FOUND), write=None, arrange=_register)},
    "screening:monitoring": {"": Expect(get=only(VIEWERS, OK, others=NOT_FOUND), write=None)},
    "screening:model-card": {
        "": Expect(get=only(VIEWERS, OK, others=NOT_FOUND), write=None, kwargs=_candidate, arrange=_register)
    },
    "screening:model-approve": {"": _decision(_candidate)},
    "screening:model-reject": {"": _decision(_candidate)},
    "screening:model-rollback": {"": _decision()},
    "screening:model-retrain": {"": _decision()},
}
