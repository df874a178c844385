"""Who may read and change records, by role. Scoping (cases.scoping) uses these sets; pages, the
API and other apps ask these functions rather than naming roles."""

from __future__ import annotations

from typing import Any

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

# Roles that see every (non-draft) record of their own organisation and records shared with it.
ORGANISATION_WIDE_READERS = frozenset(
    {
        Role.OFFICER,
        Role.INVESTIGATOR,
        Role.SUPERVISOR,
        Role.ANALYST,
        Role.PARTNER_CASEWORKER,
        Role.PARTNER_MANAGER,
    }
)
# Hub reviewers see every flagged (strand-carrying) record of their force.
FLAGGED_READERS = frozenset({Role.HUB_REVIEWER})
# Call handlers see their own drafts and what they recorded.
OWN_RECORD_READERS = frozenset({Role.CALL_HANDLER})
# Analysts see stable pseudonyms instead of identities.
PSEUDONYMISED_READERS = frozenset({Role.ANALYST})

RECORD_WRITERS = frozenset(
    {
        Role.CALL_HANDLER,
        Role.OFFICER,
        Role.INVESTIGATOR,
        Role.SUPERVISOR,
        Role.HUB_REVIEWER,
        Role.PARTNER_CASEWORKER,
        Role.PARTNER_MANAGER,
    }
)
# Who records an evidential assessment of a perceived strand (beside it, never instead of it).
STRAND_ASSESSORS = frozenset({Role.HUB_REVIEWER, Role.SUPERVISOR})
# Who may take off a strand entered in error besides the person who added it.
STRAND_REMOVERS = frozenset({Role.SUPERVISOR})


def can_write_records(user: Any) -> bool:
    return has_role(user, RECORD_WRITERS)


def can_read_records(user: Any) -> bool:
    return has_role(user, ORGANISATION_WIDE_READERS | FLAGGED_READERS | OWN_RECORD_READERS)


def can_assess_strands(user: Any) -> bool:
    return has_role(user, STRAND_ASSESSORS)


def can_remove_strand(user: Any, *, added_by_id: int | None) -> bool:
    """The person who added a strand, or a supervisor, may remove it (entered in error, with a reason)."""
    if not can_write_records(user):
        return False
    return has_role(user, STRAND_REMOVERS) or (added_by_id is not None and added_by_id == user.pk)
