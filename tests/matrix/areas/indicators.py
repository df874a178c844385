"""Bias indicator pages (/indicators/): system administrators maintain the rules, hub reviewers read
them and use 'try it' (403 on the administrators' pages, which they know exist); everyone else 404."""

from __future__ import annotations

from typing import Any

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Expect,
    only,
)
from tests.matrix.fixtures import MatrixWorld

READERS = ("system_admin", "hub_reviewer")


def _active(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.indicators.services import seed_starter_ruleset

    return {"number": seed_starter_ruleset().number}


def _draft(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.indicators.selectors import draft_ruleset
    from umbrella.indicators.services import ruleset_draft_create, seed_starter_ruleset

    seed_starter_ruleset()
    draft = draft_ruleset() or ruleset_draft_create(actor=None, note="matrix")
    rule = draft.rules.order_by("pk").first()
    assert rule is not None
    return {"number": draft.number, "pk": rule.pk}


def read_page(kwargs: Any = None) -> Expect:
    return Expect(
        get=only(READERS, OK, others=NOT_FOUND),
        write=only(READERS, NOT_ALLOWED, others=NOT_FOUND),
        **({"kwargs": kwargs} if kwargs else {}),
    )


def admin_page(kwargs: Any = None) -> Expect:
    return Expect(
        get=only(("system_admin",), OK, others=NOT_FOUND, hub_reviewer=FORBIDDEN),
        write=only(("system_admin",), ACCEPTED, others=NOT_FOUND, hub_reviewer=FORBIDDEN),
        **({"kwargs": kwargs} if kwargs else {}),
    )


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "indicators:versions": {"": read_page()},
    "indicators:version": {"active version": read_page(_active), "draft version": read_page(_draft)},
    # Checking text stores nothing, so readers may POST it; an empty POST is shown its errors.
    "indicators:try": {"": Expect(
        get=only(READERS, OK, others=NOT_FOUND), write=only(READERS, ACCEPTED, others=NOT_FOUND),
    )},
    "indicators:draft-create": {"": admin_page()},
    "indicators:version-activate": {"": admin_page(_draft)},
    "indicators:rule-add": {"": admin_page(_draft)},
    "indicators:rule-edit": {"": admin_page(_draft)},
    "indicators:rule-retire": {"": admin_page(_draft)},
}
