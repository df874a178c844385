"""The demo loads and looks live on any day: built up to the day before it is loaded, with every
stage (conferences, timers, review queue...) placed around that day, on weekends, at month and year
ends and on 29 February alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from tests.demo.conftest import run_demo_data
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.models import Record
from umbrella.demo.loader import SOURCE_SYSTEM
from umbrella.demo.management.commands.demo_data import DEMO_EXTENSIONS, RECORDS_STAGE
from umbrella.demo.models import DemoRun, DemoStage

pytestmark = [
    pytest.mark.django_db,
    # Dates, not the database, are under test here: these four whole-demo loads run in the SQLite
    # pass only (tests/demo/test_demo_data.py loads the demo on PostgreSQL too), keeping CI short.
    pytest.mark.skipif(
        "postgresql" in settings.DATABASES["default"]["ENGINE"],
        reason="date behaviour is database-independent; the SQLite pass covers it",
    ),
]

@pytest.fixture(autouse=True)
def _a_small_training_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    # The screening model trains on a sample of 300 records instead of up to 5,000: training is the
    # same on any day (tests/screening covers it), and at 3,000 records it was a third of the load.
    # Screening the feed and the hub's decisions, which place suggestions around the day, still run
    # on every record.
    monkeypatch.setattr("umbrella.screening.demo.SAMPLE", 300)


# Each "today" with one of the sizes at which a stage once collided (1,000, 2,000 and 3,000 records).
DAYS = [
    pytest.param(datetime(2027, 3, 6, 15, 0, tzinfo=UTC), 1000, id="a Saturday"),
    pytest.param(datetime(2027, 2, 28, 9, 0, tzinfo=UTC), 2000, id="28 February 2027"),
    pytest.param(datetime(2028, 2, 29, 12, 0, tzinfo=UTC), 3000, id="29 February 2028"),
    pytest.param(datetime(2030, 1, 1, 0, 30, tzinfo=UTC), 300, id="1 January 2030"),
]


@pytest.mark.parametrize(("today", "records"), DAYS)
def test_the_demo_loads_on_any_day(today: datetime, records: int) -> None:
    with time_machine.travel(today, tick=True):
        output = run_demo_data(seed=5, records=records)
    assert f"{records} created" in output
    run = DemoRun.objects.get()
    assert run.anchor == datetime(today.year, today.month, today.day, tzinfo=UTC)
    assert set(DemoStage.objects.values_list("name", flat=True)) == {RECORDS_STAGE, *DEMO_EXTENSIONS}
    newest = Record.objects.filter(source_system=SOURCE_SYSTEM).order_by("-reported_at").first()
    assert newest is not None
    # Live: the newest record is from the last few days before the load day, never after it.
    assert today - timedelta(days=7) < newest.reported_at < run.anchor
    assert audit_chain_verify().ok


def test_a_rerun_on_a_later_day_keeps_the_stored_day() -> None:
    with time_machine.travel(datetime(2027, 6, 2, 10, 0, tzinfo=UTC), tick=True):
        run_demo_data(seed=5, records=300)
    before = Record.objects.count()
    with time_machine.travel(datetime(2027, 7, 20, 10, 0, tzinfo=UTC), tick=True):
        output = run_demo_data(seed=5, records=300)
    assert "already loaded" in output and "loaded on 02 June 2027" in output
    assert Record.objects.count() == before
