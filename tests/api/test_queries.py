"""Query-count guards: a page of the list costs the same number of queries however many records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import detail_url, list_url, share
from tests.factories import make_record, strand
from umbrella.cases.inputs import PersonInput

pytestmark = pytest.mark.django_db

# Session and user (2), the filter codes looked up (2: one for the serializer, one for the strand id), the count, the page of records, its strands,
# their perceivers (3), the idle-timeout stamp saved to the session (3: savepoint, update, release;
# at most once a minute, so a first request pays it and the next ones do not), and the ids shared with the user's organisation (1; see cases.scoping).
LIST_QUERY_LIMIT = 12


def warmed(client):
    """The client after one request: the session's last-seen stamp is written, as it is at most
    once a minute, so the requests measured next compare like with like."""
    assert client.get(list_url()).status_code == 200
    return client


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def records(world, count: int) -> None:
    for _ in range(count):
        make_record(actor=world.officer, strands=[strand("race", sub_category="anti_black"), strand("religion", perceiver="witness")])


def test_the_list_query_count_does_not_grow_with_records(world, codes, api, django_assert_max_num_queries):
    client = warmed(api(world.officer))
    records(world, 2)
    few = queries_for(client, list_url())

    records(world, 18)
    many = queries_for(client, list_url())

    assert many == few
    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        response = client.get(list_url(strand="race", is_online="false", q="SW1A 1AA"))
    assert response.json()["count"] == 20


def test_a_shared_record_in_the_list_costs_no_extra_queries(world, codes, api):
    client = warmed(api(world.officer))
    records(world, 3)
    before = queries_for(client, list_url())
    share(make_record(actor=world.caseworker), world.force)
    share(make_record(actor=world.caseworker), world.force)

    assert queries_for(client, list_url()) == before


def test_the_detail_query_count_does_not_grow_with_people_or_strands(world, codes, api):
    client = warmed(api(world.officer))
    small = make_record(actor=world.officer)
    large = make_record(
        actor=world.officer,
        strands=[strand("race", sub_category="anti_black"), strand("religion", sub_category="anti_muslim")],
        people=[PersonInput(role=role, given_name=f"Name{i}") for i, role in enumerate(["victim", "witness", "witness", "reporter", "subject"])],
    )

    assert queries_for(client, detail_url(large)) == queries_for(client, detail_url(small))
