"""Care test helpers: organisations to refer to, and consent in force."""

from __future__ import annotations

from tests.factories import OrganisationFactory
from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.cases.models import Record
from umbrella.consent.models import ConsentDecision, ConsentMethod, ConsentRecord
from umbrella.consent.services import consent_capture


def victim_service() -> Organisation:
    return OrganisationFactory(name="Victim Support", slug="victim-support", reference_prefix="VS",  # type: ignore[no-any-return]
                               kind=OrganisationKind.VICTIM_SERVICE)


def council() -> Organisation:
    return OrganisationFactory(name="Westminster Council", slug="council", reference_prefix="WCC",  # type: ignore[no-any-return]
                               kind=OrganisationKind.LOCAL_AUTHORITY)


def give_consent(*, actor: User, record: Record, scope: str, decision: str = ConsentDecision.GIVEN) -> ConsentRecord:
    return consent_capture(
        actor=actor, organisation=record.organisation, scope=scope, decision=decision,
        method=ConsentMethod.IN_PERSON, words_shown="Can we pass your details on?", record=record,
    )
