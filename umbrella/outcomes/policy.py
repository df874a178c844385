"""Who records outcomes: a police force's record writers, on the crimes it owns; and charging
decisions and court results, the Crown Prosecution Service too, on the crimes shared with it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.agencies.models import OrganisationKind
from umbrella.cases import rules
from umbrella.cases.models import ShareScope
from umbrella.cases.selectors import can_change_record
from umbrella.outcomes.models import ChargingDecisionKind, CourtResultKind

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record
    from umbrella.outcomes.models import ChargingDecision, CourtResult

# A Home Office outcome belongs to a recorded crime; a non-crime hate incident has none.
CRIME_KINDS = rules.CRIME_KINDS


# Outcome groups the rules name (reference data, scheme "outcome_group").
NO_SUSPECT_GROUP = "no_suspect_identified"
CHARGED_GROUP = "charged_summonsed"


def needs_outcome_to_close(*, kind: str, organisation_kind: str) -> bool:
    """Whether a record of this kind and owner has a Home Office outcome: a crime the police recorded."""
    return rules.is_police_crime(kind=kind, organisation_kind=organisation_kind)


def has_home_office_outcome(record: Record) -> bool:
    return needs_outcome_to_close(kind=record.kind, organisation_kind=record.organisation.kind)


def can_record_outcome(user: User, record: Record) -> bool:
    return has_home_office_outcome(record) and can_change_record(user, record)


# The Crown Prosecution Service's users who record charging decisions and court results on the
# crimes a force shared with them in full (a referral with a share, as for other partners).
PROSECUTORS = frozenset({Role.PARTNER_CASEWORKER, Role.PARTNER_MANAGER})


def is_prosecutor_for(user: User, record: Record) -> bool:
    organisation = getattr(user, "organisation", None)
    return bool(
        organisation is not None and organisation.kind == OrganisationKind.CPS and has_role(user, PROSECUTORS)
        and record.shares.active().filter(organisation_id=organisation.pk, scope=ShareScope.FULL).exists()
    )


def can_record_prosecution(user: User, record: Record) -> bool:
    """Charging decisions and court results: the owning force's writers, and the CPS it shared the crime with."""
    return has_home_office_outcome(record) and (can_change_record(user, record) or is_prosecutor_for(user, record))


# Who reads the attrition funnel of the records they may see (scrutiny bodies get published
# statistics with disclosure control instead).
FUNNEL_READERS = frozenset({Role.SUPERVISOR, Role.ANALYST, Role.HUB_REVIEWER})


def can_see_funnel(user: User) -> bool:
    return has_role(user, FUNNEL_READERS)


def review_follows(*, decision: ChargingDecision | None, court: CourtResult | None) -> date | None:
    """When the decision a victim may ask to have reviewed (Victims' Right to Review) was made,
    given the crime's latest charging decision and court result: a prosecution stopped at court,
    or a decision not to charge; None when neither is the latest word."""
    if court is not None and court.result == CourtResultKind.DISCONTINUED:
        return court.decided_on
    if decision is not None and decision.decision in (ChargingDecisionKind.NFA_EVIDENTIAL,
                                                      ChargingDecisionKind.NFA_PUBLIC_INTEREST):
        return decision.decided_on
    return None
