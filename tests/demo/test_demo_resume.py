"""``umbrella demo-data`` killed part-way: a rerun resumes where it stopped, without duplicates.

Apart from test_demo_data.py, whose tests share one load: these start from an empty database."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.demo.conftest import RECORDS, SEED, run_demo_data
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.models import Person, Record, RecordShare
from umbrella.conferences.demo import HELD_TITLE, PLANNED_TITLE
from umbrella.conferences.models import Conference, ConferenceReferral
from umbrella.demo.loader import SOURCE_SYSTEM
from umbrella.demo.management.commands.demo_data import DEMO_EXTENSIONS
from umbrella.demo.models import DemoStage


def _planned() -> Any:
    return Record.objects.filter(source_system=SOURCE_SYSTEM)


def _stopped_by(monkeypatch: pytest.MonkeyPatch, target: str, *, after: int = 0) -> None:
    """Makes ``target`` (module.function) raise on its call number ``after + 1``, as a kill would."""
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    calls = {"n": 0}

    def stopping(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > after:
            raise KeyboardInterrupt(f"killed in {name}")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, stopping)


def _outcome() -> dict[str, Any]:
    """What a finished load leaves, in the terms a reader of the demo would check."""
    return {
        "records": sorted(_planned().values_list("source_reference", "reference", "status")),
        "all records": Record.objects.count(),
        "shares": RecordShare.objects.count(),
        "conferences": sorted(Conference.objects.values_list("title", flat=True)),
        "stages": sorted(DemoStage.objects.values_list("name", flat=True)),
        "people": Person.objects.count(),
    }


def test_an_interrupted_run_resumes_without_duplicates(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Killed after the first batch of 120 records: that batch stays, the rerun writes the rest.
    with monkeypatch.context() as patch:
        _stopped_by(patch, "umbrella.demo.loader._write_batch", after=1)
        with pytest.raises(KeyboardInterrupt):
            call_command("demo_data", seed=SEED, records=RECORDS, batch_size=120, no_progress=True, stdout=StringIO())
    assert _planned().count() == 120
    assert not DemoStage.objects.exists()
    output = run_demo_data()
    assert "180 created, 120 already there" in output
    assert _planned().count() == RECORDS
    assert len(set(_planned().values_list("source_reference", flat=True))) == RECORDS
    assert audit_chain_verify().ok


def test_a_stage_killed_part_way_leaves_nothing_and_the_rerun_finishes(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Killed inside the conferences stage, after its first conference was written: the stage rolls
    # back whole, the stages before it stay marked, and the rerun ends as an uninterrupted run does.
    with monkeypatch.context() as patch:
        _stopped_by(patch, "umbrella.conferences.services.referral_create", after=1)
        with pytest.raises(KeyboardInterrupt):
            run_demo_data()
    assert not Conference.objects.exists()
    done = set(DemoStage.objects.values_list("name", flat=True))
    assert "records" in done and "risk" in done and "conferences" not in done
    output = run_demo_data()
    assert "Risk conferences: 2" in output and "risk: already loaded" in output
    resumed = _outcome()
    assert set(resumed["stages"]) == {"records", *DEMO_EXTENSIONS}
    assert audit_chain_verify().ok

    # As an uninterrupted run: every planned record once, both conferences with all their cases.
    assert len(resumed["records"]) == len({ref for ref, _, _ in resumed["records"]}) == RECORDS
    assert resumed["conferences"] == sorted([HELD_TITLE, PLANNED_TITLE])
    assert "Risk conferences: 2 (2 cases discussed last month, 4 referred for next week)" in output
    assert ConferenceReferral.objects.count() == 6
