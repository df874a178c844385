"""One path in: every route into a record — the staff page, the API, ``umbrella import records``,
a triager accepting a report, a hub review decision — refuses the same bad input and gives the
same good input the same follow-up (hub review item, Victims' Code timers, screening, and the
signal the risk prompts listen to)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.api.test_records import new_record
from tests.cases.test_views import _creation_post
from tests.conftest import World
from tests.factories import make_record
from tests.imports.conftest import umbrella_row, write_csv
from tests.intake.factories import force_report
from tests.review.factories import decide, suggest
from umbrella.care.models import Timer
from umbrella.cases import signals
from umbrella.cases.models import Record
from umbrella.imports.selectors import EXPORT_COLUMNS
from umbrella.reference.seed import seed_reference_data
from umbrella.review.models import ReviewItem

ROUTES = ("page", "api", "import", "triage")
BAD = ("no strand", "no place", "occurred in the future")


@pytest.fixture(autouse=True)
def _seeded(world: World, settings: Any, tmp_path: Path) -> None:
    seed_reference_data()
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _future() -> Any:
    return timezone.localtime() + timedelta(days=2)


def _by_page(world: World, tmp_path: Path, bad: str | None) -> bool:
    data = _creation_post()
    if bad == "no strand":
        for index in range(3):
            data.update({f"strands-{index}-strand": "", f"strands-{index}-perceiver": "", f"strands-{index}-sub_category": ""})
    elif bad == "no place":
        data.update({"borough": "", "flags": ""})
    elif bad == "occurred in the future":
        when = _future()
        data.update({"occurred_from_day": str(when.day), "occurred_from_month": str(when.month),
                     "occurred_from_year": str(when.year)})
    response = _client(world.officer).post(reverse("cases:record-create"), data)
    return response.status_code == 302


def _by_api(world: World, tmp_path: Path, bad: str | None) -> bool:
    from rest_framework.test import APIClient

    overrides: dict[str, Any] = {
        None: {}, "no strand": {"strands": []}, "no place": {"borough": None},
        "occurred in the future": {"occurred_from": _future().isoformat()},
    }[bad]
    client = APIClient()
    client.force_authenticate(world.officer)
    response = client.post("/api/v1/records/", new_record(**overrides), format="json")
    assert response.status_code in (201, 400), response.content
    return response.status_code == 201


def _by_import(world: World, tmp_path: Path, bad: str | None) -> bool:
    from django.core.management import call_command

    overrides = {
        None: {}, "no strand": {"Strands": ""}, "no place": {"Borough code": "", "Postcode": "", "Latitude": "",
                                                            "Longitude": ""},
        "occurred in the future": {"Occurred from": _future().isoformat(), "Reported at": _future().isoformat()},
    }[bad]
    path = write_csv(tmp_path / "records.csv", EXPORT_COLUMNS, [umbrella_row(1, **overrides)])
    try:
        call_command("import_records", str(path), "--mapping", "umbrella_export", "--as", "supervisor")
    except CommandError:
        return False
    return True


def _by_triage(world: World, tmp_path: Path, bad: str | None) -> bool:
    overrides: dict[str, Any] = {None: {}, "no strand": {"strands": ()}, "no place": {"borough_code": ""}}[bad or None]
    report = force_report(world, **overrides)
    response = _client(world.officer).post(reverse("intake:report-accept", args=[report.pk]), {"kind": "hate_crime"})
    return response.status_code == 302


CREATE: dict[str, Callable[[World, Path, str | None], bool]] = {
    "page": _by_page, "api": _by_api, "import": _by_import, "triage": _by_triage,
}


@pytest.fixture
def followed() -> Iterator[dict[str, list[int]]]:
    """Records each route told the follow-up receivers about (one record or a batch)."""
    seen: dict[str, list[int]] = {"created": [], "screened": []}

    def one(sender: Any, *, record: Any, change: str, **_: Any) -> None:
        if change == signals.CREATED:
            seen["created"].append(record.pk)

    def many(sender: Any, *, record_ids: list[int], **_: Any) -> None:
        seen["created"].extend(record_ids)

    signals.record_changed.connect(one, dispatch_uid="test.one_path.one")
    signals.records_created.connect(many, dispatch_uid="test.one_path.many")
    try:
        yield seen
    finally:
        signals.record_changed.disconnect(dispatch_uid="test.one_path.one")
        signals.records_created.disconnect(dispatch_uid="test.one_path.many")


def _cases() -> list[tuple[str, str]]:
    # A public report cannot say it happened in the future (the form refuses it), so triage has
    # no such case to try.
    return [(route, bad) for route in ROUTES for bad in BAD if not (route == "triage" and bad == "occurred in the future")]


@pytest.mark.parametrize(("route", "bad"), _cases())
def test_every_route_refuses_the_same_bad_input_and_stores_nothing(
    world: World, tmp_path: Path, route: str, bad: str
) -> None:
    before = Record.objects.count()
    assert CREATE[route](world, tmp_path, bad) is False
    assert Record.objects.count() == before


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_gives_a_hate_crime_the_same_follow_up(
    world: World, tmp_path: Path, route: str, followed: dict[str, list[int]], monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    screened: list[int] = []
    monkeypatch.setattr("umbrella.screening.tasks.screen_record", SimpleNamespace(enqueue=screened.append))
    monkeypatch.setattr("umbrella.screening.tasks.screen_record_batch", SimpleNamespace(enqueue=screened.extend))
    with django_capture_on_commit_callbacks(execute=True):
        assert CREATE[route](world, tmp_path, None) is True
    record = Record.objects.get()
    assert record.kind == "hate_crime" and record.strands.exists()
    assert ReviewItem.objects.filter(record=record, status="open").count() == 1
    assert Timer.objects.filter(record=record).exists()
    assert screened == [record.pk]
    assert followed["created"] == [record.pk]  # what the risk prompts (and the rest) listen to


def test_a_review_decision_refuses_a_hate_crime_without_a_strand_as_the_other_routes_do(world: World) -> None:
    from django.core.exceptions import ValidationError

    record = make_record(actor=world.officer, strands=[], kind="other_crime")
    suggest(record)
    with pytest.raises(ValidationError, match="needs at least one strand"):
        decide(world.supervisor, record, kind="hate_crime")
    record.refresh_from_db()
    assert record.kind == "other_crime"
