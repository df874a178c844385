"""The demo's closed crimes get outcomes in the real-world shape, once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.demo.conftest import run_demo_data
from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.models import Record
from umbrella.cases.services import record_change_status
from umbrella.outcomes import actions as outcome_actions
from umbrella.outcomes.demo import load_demo
from umbrella.outcomes.models import ChargingDecision, InvestigationOutcome
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
    assert AuditEvent.objects.filter(action=outcome_actions.RECORD_OUTCOME).count() == len(outcomes)
    # Every charge has its charging decision on the same day; outcome 15 has the CPS's "not enough evidence".
    decisions = {d.record_id: d for d in ChargingDecision.objects.all()}
    for outcome in outcomes:
        expected = {"1": "charge", "15": "nfa_evidential"}.get(outcome.outcome.code)
        found = decisions.get(outcome.record_id)
        assert (found.decision if found else None) == expected
        assert found is None or found.decided_on == outcome.decided_on
    assert AuditEvent.objects.filter(action=outcome_actions.RECORD_CHARGING_DECISION).count() == len(decisions) > 0
    # A review only follows a decision not to charge or a stopped prosecution, and after it.
    from umbrella.outcomes.models import CourtResult, RightToReviewRequest

    stopped = {r.record_id: r.decided_on for r in CourtResult.objects.filter(result="discontinued")}
    for review in RightToReviewRequest.objects.all():
        since = stopped.get(review.record_id) or decisions[review.record_id].decided_on
        assert review.record_id in stopped or decisions[review.record_id].decision.startswith("nfa_")
        assert since <= review.requested_on < timezone.localdate()
        assert review.decided_on is None or review.requested_on <= review.decided_on < timezone.localdate()
    assert AuditEvent.objects.filter(action=outcome_actions.RECORD_REVIEW_REQUEST).count() == (
        RightToReviewRequest.objects.count())
    # Every charge has its first hearing after it; a plea only at a hearing that has happened.
    from umbrella.outcomes.models import CourtHearing

    charges = {pk: d for pk, d in decisions.items() if d.decision == "charge"}
    firsts = {h.record_id: h for h in CourtHearing.objects.filter(kind="first")}
    assert set(firsts) == set(charges)
    for record_id, hearing in firsts.items():
        assert charges[record_id].decided_on <= hearing.heard_on
        assert hearing.plea == "not_entered" or hearing.heard_on <= timezone.localdate()
    assert AuditEvent.objects.filter(action=outcome_actions.RECORD_COURT_HEARING).count() == CourtHearing.objects.count()
    audit_chain_seal()
    assert audit_chain_verify().ok
    assert "already" in load_demo(seed=3, now=timezone.now())


def test_the_demo_funnel_falls_at_every_stage_and_its_reasons_add_up(db: None) -> None:
    """On the synthetic London, as the command prints it for the demo supervisor."""
    assert "closed crimes given outcomes" in run_demo_data()
    from io import StringIO

    from django.core.management import call_command

    from umbrella.accounts.models import Role, User
    from umbrella.outcomes.models import RightToReviewRequest

    assert RightToReviewRequest.objects.filter(result="not_upheld").exists()  # victims asked, and were answered
    supervisor = User.objects.filter(role=Role.SUPERVISOR, organisation__slug="mps").order_by("pk").first()
    assert supervisor is not None
    stages_out, reasons_out = StringIO(), StringIO()
    call_command("outcomes_funnel", "--as", supervisor.username, stdout=stages_out)
    call_command("outcomes_funnel", "--as", supervisor.username, "--table", "reasons", stdout=reasons_out)
    stages = [line.split(",") for line in stages_out.getvalue().splitlines()[1:]]
    counts = [int(row[1]) for row in stages]
    assert counts == sorted(counts, reverse=True) and counts[-1] > 0  # falls, and some are charged
    assert counts[-1] < counts[1] * 0.25  # far fewer charges than crimes, as in the statistics
    reasons = [line.rsplit(",", 1) for line in reasons_out.getvalue().splitlines()[1:]]
    for index, row in enumerate(stages[:-1]):
        dropped = counts[index] - counts[index + 1]
        assert sum(int(n) for head, n in reasons if head.split(",", 1)[0] == row[0]) == dropped, row[0]
