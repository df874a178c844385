"""Who may do what in referrals and victim care. Record scoping stays in cases.scoping."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.cases.policy import RECORD_WRITERS, can_read_records

# May make a referral without the victim's consent, with a recorded reason (alerts supervisors).
OVERRIDERS = frozenset({Role.SUPERVISOR, Role.INVESTIGATOR})
# Make referrals, record contacts, key events and eligibility on their organisation's records;
# accept, decline and close referrals sent to their organisation.
CARE_WRITERS = RECORD_WRITERS
# Who is told when a referral is made without consent.
ALERTED_ROLE = Role.SUPERVISOR


def can_override_consent(user: Any) -> bool:
    return has_role(user, OVERRIDERS)


def can_use_worklist(user: Any) -> bool:
    """Anyone who reads records (officers, partners' caseworkers and managers, hub reviewers...)."""
    return can_read_records(user)


def can_respond_to_referrals(user: Any) -> bool:
    return has_role(user, CARE_WRITERS)
