"""The risk section on the record detail page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.core.extensions import RecordPanel
from umbrella.risk.policy import can_assess
from umbrella.risk.selectors import latest_assessment, reassessment_due, repeat_indicators

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record


def risk_panel(user: User, record: Record) -> RecordPanel | None:
    latest = latest_assessment(user=user, record=record)
    return RecordPanel(
        template="risk/panel.html",
        context={
            "record": record,
            "latest": latest,
            "due": reassessment_due(user=user, record=record) if latest else [],
            "repeat": repeat_indicators(user=user, record=record),
            "can_assess": can_assess(user, record),
        },
        order=20,
    )
