"""The demo queue: recent flagged records queued, older ones mostly decided, idempotent."""

from __future__ import annotations

from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record
from umbrella.review.demo import load_demo
from umbrella.review.models import Decision, ReviewItem


def test_load_demo_queues_and_decides_consistently(world: World) -> None:
    old = [make_record(actor=world.officer, days_ago=6) for _ in range(6)]
    new = make_record(actor=world.officer, days_ago=0)
    make_record(actor=world.officer, days_ago=120)  # outside the window
    ReviewItem.objects.all().delete()  # as after the demo's bulk load, which sends no signals

    summary = load_demo(seed=1, now=timezone.now())
    assert summary.startswith("review: 7 flagged records queued")
    assert ReviewItem.objects.count() == 7
    assert ReviewItem.objects.get(record=new).status == "open"
    decided = ReviewItem.objects.filter(status="decided")
    assert decided.count() == Decision.objects.count() > 0
    assert set(decided.values_list("record_id", flat=True)) <= {r.pk for r in old}
    for decision in Decision.objects.filter(online_to=True, online_from=False):
        decision.record.refresh_from_db()
        assert decision.record.is_online
    assert load_demo(seed=1, now=timezone.now()).endswith("nothing added")


def test_the_demo_records_evidential_assessments_beside_the_strands(world: World) -> None:
    from tests.reads import decrypt
    from umbrella.audit.verify import audit_chain_verify
    from umbrella.cases.models import ASSESSMENT_REASON_COLUMN, StrandAssessment

    records = [make_record(actor=world.officer, days_ago=20) for _ in range(30)]
    ReviewItem.objects.all().delete()
    load_demo(seed=1, now=timezone.now())

    assessed = list(StrandAssessment.objects.select_related("record_strand"))
    assert assessed, "about 60% of decisions assess their strands"
    assert all(a.record_strand.record_id == a.record_id for a in assessed)
    assert all(decrypt(a.reason, column=ASSESSMENT_REASON_COLUMN) for a in assessed)
    in_decisions = sum(len(d.strand_assessments) for d in Decision.objects.all())
    assert in_decisions == len(assessed)
    assert all(r.strands.count() == 1 for r in records)  # the perceptions all stay
    assert audit_chain_verify().ok
