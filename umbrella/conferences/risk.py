"""What the conferences app asks the risk app, in one place.

The risk app (umbrella.risk.selectors) may be absent or still being built; then the risk level is
unknown (None) and a "high risk" criterion cannot be shown to be met. It is looked up by name at
call time so this app does not depend on the risk app being importable.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record

LEVELS = ("standard", "medium", "high")


def _risk_selector(name: str) -> Any:
    try:
        module = importlib.import_module("umbrella.risk.selectors")
    except ImportError:
        return None
    return getattr(module, name, None)


def latest_risk_level(*, user: User, record: Record) -> str | None:
    """The level of the latest risk assessment the user can see, or None (none, or not knowable)."""
    selector = _risk_selector("latest_assessment")
    if selector is None:
        return None
    assessment = selector(user=user, record=record)
    level = getattr(assessment, "level", None) if assessment is not None else None
    return str(level) if level in LEVELS else None


def repeat_indicator_summary(*, user: User, record: Record) -> Any:
    """The risk app's RepeatSummary for the record, or None when the risk app is not there."""
    selector = _risk_selector("repeat_indicators")
    if selector is None:
        return None
    return selector(user=user, record=record)
