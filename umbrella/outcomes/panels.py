"""The outcome section on the record page (crimes only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.core.extensions import RecordPanel
from umbrella.outcomes.policy import can_record_outcome, has_home_office_outcome
from umbrella.outcomes.selectors import outcomes_of

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record


def outcome_panel(user: User, record: Record) -> RecordPanel | None:
    if not has_home_office_outcome(record):
        return None
    history = list(outcomes_of(record=record))
    return RecordPanel(
        template="outcomes/panel.html",
        context={"record": record, "latest": history[0] if history else None, "earlier": history[1:],
                 "can_record": can_record_outcome(user, record)},
        order=30,
    )
