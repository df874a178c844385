"""What must be true before a record is closed, contributed by the apps that know (a hook).

Each check takes the record about to close and returns what is missing, in words for the person
closing it, or None. ``record_change_status`` runs every check, on the pages and the API alike;
imports refuse a closed row the same way (see ``imports.rows``). Outcomes registers "a crime
needs its outcome"; cases itself knows nothing of outcomes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from umbrella.cases.models import Record

ClosingCheck = Callable[["Record"], "str | None"]

_CHECKS: dict[str, ClosingCheck] = {}


def register_closing_check(name: str, check: ClosingCheck) -> None:
    _CHECKS[name] = check


def closing_problems(record: Record) -> list[str]:
    return [message for check in _CHECKS.values() if (message := check(record)) is not None]
