"""Training from records (imported history), and the demo loader that trains and approves a first model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import World
from tests.factories import make_record, strand
from tests.screening.factories import HATEFUL_OTHER_CRIME, PLAIN_OTHER_CRIME
from umbrella.screening.demo import load_demo
from umbrella.screening.models import ModelStatus, ScreeningModel
from umbrella.screening.training import examples_from_records

pytestmark = pytest.mark.django_db


def some_records(world: World) -> None:
    for i in range(6):
        make_record(actor=world.officer, narrative=f"{HATEFUL_OTHER_CRIME} Incident {i}.", strands=[strand("race")])
        make_record(actor=world.officer, kind="other_crime", narrative=f"{PLAIN_OTHER_CRIME} Incident {i}.", strands=[],
                    is_online=i % 2 == 0)
    make_record(actor=world.officer, narrative="Draft only.", status="draft")


def test_records_become_labelled_examples_by_kind_and_strands(world: World) -> None:
    some_records(world)
    data = examples_from_records()
    assert data.summary["rows"] == 12
    assert data.summary["label_counts"] == {"hate": 6, "online": 3, "race": 6}
    history = data.summary["sources"][1]
    assert history["kind"] == "imported_history" and history["other_crime"] == 6
    assert data.summary["sources"][0] == {**data.summary["sources"][0], "kind": "reviewer_decisions", "rows": 0}


def test_demo_trains_and_approves_once(world: World) -> None:
    some_records(world)
    now = datetime(2026, 5, 1, tzinfo=UTC)
    first = load_demo(seed=1, now=now)
    assert "approved" in first
    model = ScreeningModel.objects.get()
    assert model.status == ModelStatus.APPROVED and model.labels == ["hate", "race", "online"]
    assert "already registered" in load_demo(seed=1, now=now)
    assert ScreeningModel.objects.count() == 1


def test_a_reviewers_decision_wins_over_the_records_kind(world: World) -> None:
    from tests.review.factories import decide, suggest

    record = make_record(actor=world.officer, kind="other_crime", narrative=HATEFUL_OTHER_CRIME, strands=[])
    make_record(actor=world.officer, kind="other_crime", narrative=PLAIN_OTHER_CRIME, strands=[])
    suggest(record)
    decide(world.supervisor, record, kind="hate_crime", add_strands=(strand("race"),))
    data = examples_from_records()
    assert data.summary["sources"][0]["rows"] == 1
    assert data.summary["sources"][1]["rows"] == 1
    reviewed = [e for e in data.examples if e.text == HATEFUL_OTHER_CRIME]
    assert reviewed and reviewed[0].labels == frozenset({"hate", "race"})


def test_the_demo_hub_decides_older_suggestions_so_monitoring_has_live_rates(world: World) -> None:
    from tests.factories import code
    from umbrella.review.models import ItemStatus, ReviewItem, ReviewReason
    from umbrella.screening.monitoring import strand_rates

    code("perceiver", "officer")
    for i in range(80):
        make_record(actor=world.officer, narrative=f"{HATEFUL_OTHER_CRIME} Incident {i}.", strands=[strand("race")])
        make_record(actor=world.officer, kind="other_crime", narrative=f"{PLAIN_OTHER_CRIME} Incident {i}.", strands=[])
    hidden = [make_record(actor=world.officer, kind="other_crime", narrative=f"{HATEFUL_OTHER_CRIME} Incident {100 + i}.",
                          strands=[]) for i in range(4)]
    printed = load_demo(seed=1, now=datetime(2026, 5, 1, tzinfo=UTC))

    items = ReviewItem.objects.filter(reason=ReviewReason.SUGGESTION, record__in=hidden)
    assert items.count() == 4, printed
    assert items.filter(status=ItemStatus.DECIDED).count() == 3  # the newest waits in the queue
    assert "3 records decided by the hub" in printed
    for record in hidden:
        record.refresh_from_db()
    assert sum(r.kind == "hate_crime" for r in hidden) == 3
    race = next(rates for rates in strand_rates() if rates.key == "race")
    assert race.tp == 3
