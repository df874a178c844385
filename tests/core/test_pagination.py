"""Counts that stop at a cap: a list longer than it says "more than", its pages reach the cap, and
the count query reads no more rows than the cap (one more, to tell "exactly" from "more")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import World
from tests.factories import make_record
from umbrella.cases.models import Record
from umbrella.core import pagination
from umbrella.core.pagination import CappedPaginator


def test_the_count_stops_one_past_the_cap_and_says_it_did(world: World) -> None:
    for _ in range(7):
        make_record(actor=world.officer)
    records = Record.objects.order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        capped = CappedPaginator(records, 2, cap=5)
        assert (capped.count, capped.is_capped, capped.num_pages) == (5, True, 3)
    [counting] = queries.captured_queries
    assert "COUNT(" in counting["sql"].upper() and "LIMIT 6" in counting["sql"].upper()
    # Counted without the list's order, so the database may start from whichever filter is cheapest.
    assert "ORDER BY" not in counting["sql"].upper()
    exact = CappedPaginator(records, 2, cap=7)
    assert (exact.count, exact.is_capped, exact.num_pages) == (7, False, 4)
    assert CappedPaginator([1, 2, 3], 2, cap=2).is_capped  # a plain list is counted by its length


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)


def test_a_list_longer_than_the_cap_says_more_than_on_the_page_and_in_the_api(
    world: World, client: Client, small_cap: None
) -> None:
    for _ in range(4):
        make_record(actor=world.officer)
    client.force_login(world.officer)
    page = client.get("/records/").content.decode()
    assert "More than 3 records" in page and "narrow the filters" in page
    body = client.get("/api/v1/records/?page_size=2").json()
    assert (body["count"], body["count_is_capped"]) == (3, True) and len(body["results"]) == 2
    assert client.get("/api/v1/records/?page_size=2&page=2").json()["next"] is None  # the pages stop at the cap
    client.force_login(world.caseworker)  # the centre sees none of the force's four
    assert client.get("/api/v1/records/").json()["count_is_capped"] is False
