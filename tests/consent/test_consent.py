from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tests.factories import make_record, strand
from umbrella.audit.models import AuditEvent
from umbrella.consent.models import ConsentDecision, ConsentMethod, ConsentScope
from umbrella.consent.selectors import consent_by_reference, consent_in_force
from umbrella.consent.services import consent_capture

WORDS = "Can we pass what happened to the police, without your name?"


def test_latest_decision_is_in_force_and_withdrawal_ends_it(world: World) -> None:
    record = make_record(actor=world.caseworker, strands=[strand("race")])
    given = consent_capture(
        actor=world.caseworker, organisation=world.centre, record=record, scope=ConsentScope.POLICE_ANONYMISED,
        decision=ConsentDecision.GIVEN, method=ConsentMethod.PHONE, words_shown=WORDS,
    )
    assert consent_in_force(record=record, scope=ConsentScope.POLICE_ANONYMISED) == given
    assert consent_by_reference(record=record, reference=given.reference) == given
    assert consent_in_force(record=record, scope=ConsentScope.POLICE_IDENTIFIED) is None
    consent_capture(
        actor=world.caseworker, organisation=world.centre, record=record, scope=ConsentScope.POLICE_ANONYMISED,
        decision=ConsentDecision.WITHDRAWN, method=ConsentMethod.PHONE, words_shown=WORDS,
    )
    assert consent_in_force(record=record, scope=ConsentScope.POLICE_ANONYMISED) is None
    assert consent_by_reference(record=record, reference=given.reference) is None
    assert list(AuditEvent.objects.filter(record_id=record.pk, action__startswith="consent.").values_list("action", flat=True).order_by("id")) == [
        "consent.capture", "consent.withdraw",
    ]


def test_consent_without_words_is_refused(world: World) -> None:
    record = make_record(actor=world.caseworker, strands=[strand("race")])
    with pytest.raises(ValidationError) as error:
        consent_capture(
            actor=world.caseworker, organisation=world.centre, record=record, scope=ConsentScope.CENTRE_CONTACT,
            decision=ConsentDecision.GIVEN, method=ConsentMethod.PHONE, words_shown=" ",
        )
    assert "words_shown" in error.value.message_dict
