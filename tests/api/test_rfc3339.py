"""Every time the API gives out is a valid RFC 3339 timestamp, whatever the date and season."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World
from tests.factories import make_record

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TIME_FIELDS = ("occurred_from", "occurred_to", "reported_at", "recorded_at", "created_at", "updated_at")


@pytest.mark.parametrize("when", [
    datetime(1900, 1, 1, 0, 0, tzinfo=UTC),  # the earliest date a record may have
    datetime(2025, 7, 1, 12, 30, tzinfo=UTC),  # British Summer Time
    datetime(2025, 10, 26, 1, 30, tzinfo=UTC),  # the hour the clocks go back
])
def test_times_are_rfc3339_in_every_season(world: World, client: Client, when: datetime, settings: Any) -> None:
    record = make_record(actor=world.officer)
    record.occurred_from, record.occurred_to, record.reported_at = when, when + timedelta(hours=1), when
    record.save(update_fields=["occurred_from", "occurred_to", "reported_at"])
    client.force_login(world.officer)
    body = client.get(f"/api/v1/records/{record.pk}/").json()
    for name in TIME_FIELDS:
        assert RFC3339.match(body[name]), f"{name}: {body[name]!r}"
    assert datetime.fromisoformat(body["occurred_from"].replace("Z", "+00:00")) == when
