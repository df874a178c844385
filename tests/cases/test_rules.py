"""The rules every route into a record shares, checked at the service every route calls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tests.factories import make_record, strand
from umbrella.cases.models import Record, RecordStatus
from umbrella.cases.services import record_change_status, record_remove_strand

pytestmark = pytest.mark.django_db


def fields_refused(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


@pytest.mark.parametrize("kind", ["hate_crime", "nchi"])
def test_a_hate_record_needs_a_strand_and_a_place(world: World, kind: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make_record(actor=world.officer, kind=kind, strands=[], borough=None)
    assert fields_refused(refused) == {"strands", "borough"}
    assert not Record.objects.exists()


def test_an_online_platform_is_a_place(world: World) -> None:
    from django.utils import timezone

    from tests.factories import code
    from umbrella.cases.inputs import LocationInput
    from umbrella.cases.services import record_create

    record = record_create(
        actor=world.officer, kind="hate_crime", narrative="Abuse in a group chat.", reported_at=timezone.now(),
        location=LocationInput(online_platform=code("online_platform", "chat", "Chat app")), strands=[strand("race")],
    )
    assert record.borough is None and record.online_platform is not None


def test_other_crime_and_drafts_are_not_held_to_them(world: World) -> None:
    make_record(actor=world.officer, kind="other_crime", strands=[], borough=None)
    draft = make_record(actor=world.officer, status="draft", strands=[], borough=None)
    # The draft becomes a record only once it meets the rules.
    with pytest.raises(ValidationError) as refused:
        record_change_status(actor=world.officer, record=draft, status=RecordStatus.RECORDED)
    assert fields_refused(refused) == {"strands", "borough"}
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"occurred_from": datetime(1899, 12, 31, tzinfo=UTC)}, "occurred_from"),
        ({"occurred_to": datetime(1899, 12, 31, tzinfo=UTC), "occurred_from": None}, "occurred_to"),
        ({"reported_at": datetime(1850, 1, 1, tzinfo=UTC), "occurred_from": None}, "reported_at"),
        ({"reported_at": datetime(2999, 1, 1, tzinfo=UTC)}, "reported_at"),
    ],
)
def test_dates_must_make_sense(world: World, dates: dict[str, datetime | None], field: str) -> None:
    from django.utils import timezone

    from umbrella.cases.services import record_create

    values: dict[str, datetime | None] = {"reported_at": timezone.now(), "occurred_from": timezone.now(), **dates}
    with pytest.raises(ValidationError) as refused:
        record_create(actor=world.officer, kind="other_crime", narrative="Something happened.",
                      reported_at=values["reported_at"],  # type: ignore[arg-type]
                      occurred_from=values["occurred_from"], occurred_to=values.get("occurred_to"))
    assert field in fields_refused(refused)


def test_the_last_strand_of_a_hate_record_stays(world: World) -> None:
    record = make_record(actor=world.officer, strands=[strand("race")])
    only = record.strands.get()
    with pytest.raises(ValidationError) as refused:
        record_remove_strand(actor=world.officer, record=record, strand_id=only.pk, reason="Entered in error")
    assert fields_refused(refused) == {"strands"}
    assert record.strands.count() == 1
