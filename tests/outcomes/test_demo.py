"""The demo's closed crimes get outcomes in the real-world shape, once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.models import Record
from umbrella.cases.services import record_change_status
from umbrella.outcomes.demo import load_demo
from umbrella.outcomes.models import InvestigationOutcome
from umbrella.reference.seed import seed_reference_data

pytestmark = pytest.mark.django_db


def test_every_closed_police_crime_gets_one_outcome_and_few_are_charged(world: World) -> None:
    seed_reference_data()
    closed = []
    for n in range(120):
        record = make_record(actor=world.officer, kind="hate_crime" if n % 2 else "other_crime", days_ago=60)
        Record.objects.filter(pk=record.pk).update(status="closed")  # as the demo loader closes them, in bulk
        closed.append(record)
    open_crime = make_record(actor=world.officer)
    centre_closed = make_record(actor=world.caseworker)
    record_change_status(actor=world.caseworker, record=centre_closed, status="closed", reason="Done")

    summary = load_demo(seed=3, now=timezone.now())

    outcomes = list(InvestigationOutcome.objects.select_related("outcome"))
    assert sorted(o.record_id for o in outcomes) == sorted(r.pk for r in closed)
    assert open_crime.pk not in {o.record_id for o in outcomes} and centre_closed.pk not in {o.record_id for o in outcomes}
    numbers = Counter(o.outcome.code for o in outcomes)
    assert numbers["1"] < len(outcomes) * 0.2 < numbers["18"] + numbers["14"] + numbers["16"]
    for outcome in outcomes:
        record = next(r for r in closed if r.pk == outcome.record_id)
        assert timezone.localtime(record.reported_at).date() <= outcome.decided_on < timezone.localdate()
        assert outcome.suspect_identified == (outcome.outcome.code not in ("18", "14"))
    assert f"{len(outcomes):,} closed crimes" in summary
    assert AuditEvent.objects.filter(action=actions.RECORD_OUTCOME).count() == len(outcomes)
    audit_chain_seal()
    assert audit_chain_verify().ok
    assert "already" in load_demo(seed=3, now=timezone.now())
