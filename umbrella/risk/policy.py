"""Who assesses risk, who reads it, who works plan actions and who edits the questionnaire."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import REFERENCE_ADMINS, has_role
from umbrella.cases.models import Record
from umbrella.cases.policy import can_write_records

# The questionnaire is reference data: system administrators edit it.
QUESTIONNAIRE_ADMINS = REFERENCE_ADMINS
# Users of an organisation an action is assigned to who may see and complete it.
ACTION_WORKERS = frozenset(
    {
        Role.OFFICER,
        Role.INVESTIGATOR,
        Role.SUPERVISOR,
        Role.HUB_REVIEWER,
        Role.PARTNER_CASEWORKER,
        Role.PARTNER_MANAGER,
    }
)


def can_edit_questionnaire(user: Any) -> bool:
    return has_role(user, QUESTIONNAIRE_ADMINS)


def can_assess(user: Any, record: Record) -> bool:
    """Only the owning organisation's record writers assess (a full share is still read-only)."""
    return can_write_records(user) and record.organisation_id == getattr(user, "organisation_id", None)


def can_work_actions(user: Any) -> bool:
    return has_role(user, ACTION_WORKERS)
