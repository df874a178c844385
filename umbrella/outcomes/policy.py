"""Who records outcomes: a police force's record writers, on the crimes it owns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.agencies.models import OrganisationKind
from umbrella.cases.models import RecordKind
from umbrella.cases.selectors import can_change_record

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record

# A Home Office outcome belongs to a recorded crime; a non-crime hate incident has none.
CRIME_KINDS = frozenset({RecordKind.HATE_CRIME, RecordKind.OTHER_CRIME})


def can_record_outcome(user: User, record: Record) -> bool:
    """A Home Office outcome is the police's decision on a crime they recorded: a centre's or a
    charity's record has none (its hand-off to the police gets one on the police record)."""
    return (
        record.kind in CRIME_KINDS
        and record.organisation.kind == OrganisationKind.POLICE_FORCE
        and can_change_record(user, record)
    )


def needs_outcome_to_close(*, kind: str, organisation_kind: str) -> bool:
    """A police force's crime closes only with a Home Office outcome (Counting Rules, section H)."""
    return kind in CRIME_KINDS and organisation_kind == OrganisationKind.POLICE_FORCE


# Who reads the attrition funnel of the records they may see (scrutiny bodies get published
# statistics with disclosure control instead).
FUNNEL_READERS = frozenset({Role.SUPERVISOR, Role.ANALYST, Role.HUB_REVIEWER})


def can_see_funnel(user: User) -> bool:
    return has_role(user, FUNNEL_READERS)
