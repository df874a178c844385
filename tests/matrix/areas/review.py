"""Hub review (/review/): the queue and items for the force's hub reviewers and supervisors; the
dashboard also for its analysts. Roles that never review are refused (403) before any lookup;
the force's own record is the one queued (the centre's record is never in a force's queue)."""

from __future__ import annotations

from typing import Any

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    NOT_ALLOWED,
    OK,
    Expect,
    every,
    only,
)
from tests.matrix.fixtures import MatrixWorld

REVIEWERS = ("hub_reviewer", "supervisor")
DASHBOARD = ("hub_reviewer", "supervisor", "analyst")


def _force_item(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.review.models import ReviewItem

    return {"item_id": ReviewItem.objects.get(record=m.force_record).pk}


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "review:queue": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN))},
    "review:dashboard": {"": Expect(get=only(DASHBOARD, OK, others=FORBIDDEN))},
    "review:item": {"force record's item": Expect(
        get=only(REVIEWERS, OK, others=FORBIDDEN),
        write=only(REVIEWERS, ACCEPTED, others=FORBIDDEN),
        kwargs=_force_item,
    )},
    "review:claim": {"force record's item": Expect(
        get=every(NOT_ALLOWED),
        write=only(REVIEWERS, ACCEPTED, others=FORBIDDEN),
        kwargs=_force_item,
    )},
    "review:release": {"force record's item": Expect(
        get=every(NOT_ALLOWED),
        write=only(REVIEWERS, ACCEPTED, others=FORBIDDEN),
        kwargs=_force_item,
    )},
}
