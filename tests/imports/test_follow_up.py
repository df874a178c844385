"""Imported records get the same follow-up as records made on the pages: a flagged, recorded
police record enters the hub's review queue, and every imported record is screened."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import closure_reasons, make_record, strand
from tests.imports.conftest import umbrella_row, write_csv
from tests.imports.test_export import export
from umbrella.audit.models import AuditEvent
from umbrella.care.models import Timer, VictimCare
from umbrella.cases.models import Record
from umbrella.imports.selectors import EXPORT_COLUMNS
from umbrella.review import actions as review_actions
from umbrella.review.models import ReviewItem
from umbrella.review.services import due_for
from umbrella.screening.records import ScreenCounts

pytestmark = pytest.mark.usefixtures("seeded")


def test_reimporting_25_hate_crimes_from_the_export_queues_25_reviews(client, world, tmp_path, run_import):
    for number in range(25):
        make_record(actor=world.officer, strands=[strand("race")], days_ago=number + 1)
    ReviewItem.objects.all().delete()  # as if the hub had long since reviewed them
    rows, _ = export(client, world.officer)
    assert len(rows) == 25
    # References changed, as when records come back from another copy of Umbrella.
    for row in rows:
        row["Reference"] = "OTHER-" + row["Reference"]
    path = write_csv(tmp_path / "again.csv", EXPORT_COLUMNS, rows)

    run_import(path)

    imported = Record.objects.filter(source_system="umbrella")
    assert imported.count() == 25
    items = ReviewItem.objects.filter(record__in=imported)
    assert items.count() == 25 and {item.status for item in items} == {"open"}
    item = items.first()
    assert item is not None and item.due_at == due_for(item.entered_at)
    enqueued = AuditEvent.objects.filter(action=review_actions.REVIEW_ENQUEUE, record_id__in=imported.values("pk"))
    assert enqueued.count() == 25


def test_only_flagged_recorded_records_are_queued(world, umbrella_csv, run_import):
    rows = [
        umbrella_row(1),
        umbrella_row(2, **{"Kind": "Other crime", "Strands": ""}),
        umbrella_row(3, **{"Status": "Draft"}),
    ]
    run_import(umbrella_csv(rows))
    queued = set(ReviewItem.objects.values_list("record__source_reference", flat=True))
    assert queued == {"SRC-2025-000001"}


def test_imported_records_are_screened_after_the_import_commits(
    world, umbrella_csv, run_import, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    screened: list[list[int]] = []

    def screen(ids: list[int]) -> ScreenCounts:
        screened.append(list(ids))
        return ScreenCounts()

    monkeypatch.setattr("umbrella.screening.records.screen_records_by_ids", screen)
    monkeypatch.setattr("umbrella.screening.selectors.approved_model", lambda: object())
    with django_capture_on_commit_callbacks(execute=True):
        run_import(umbrella_csv([umbrella_row(n) for n in range(1, 8)]))
    ids = sorted(Record.objects.filter(source_system="umbrella").values_list("pk", flat=True))
    assert sorted(pk for batch in screened for pk in batch) == ids


def test_imported_hate_crimes_get_the_victims_code_timers_a_page_record_gets(world, umbrella_csv, run_import):
    page_made = make_record(actor=world.supervisor)
    closure_reasons()
    rows = [umbrella_row(1), umbrella_row(2, **{"Kind": "Non-crime hate incident", "Status": "Closed",
                                                "Closure reason": "nchi_intelligence"}),
            umbrella_row(3, **{"Kind": "Non-crime hate incident"})]
    run_import(umbrella_csv(rows))
    imported = {r.source_reference: r for r in Record.objects.filter(source_system="umbrella")}

    def timers(record: Record) -> list[tuple[str, str]]:
        return sorted(Timer.objects.filter(record=record).values_list("kind", "status"))

    assert timers(imported["SRC-2025-000001"]) == timers(page_made) != []
    assert VictimCare.objects.filter(record=imported["SRC-2025-000001"]).exists()
    assert timers(imported["SRC-2025-000002"]) == []  # imported closed (a crime cannot be: no outcome column yet)
    assert timers(imported["SRC-2025-000003"]) == []  # an incident, not a crime: no Victims' Code duties
