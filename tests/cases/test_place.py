"""Where it happened is sealed: the description, postcode and coordinates are ciphertext under the
owner's key; the postcode's blind index and district, the borough and the LSOA stay comparable."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import code, make_record, strand
from tests.reads import place_of
from umbrella.cases.inputs import LocationInput
from umbrella.cases.models import Record
from umbrella.cases.services import record_create
from umbrella.crypto.fields import PREFIX, blind_index
from umbrella.crypto.registry import column_of

PLACE = LocationInput(
    description="Outside Flat 3, 12 Acacia Avenue", postcode="e1 6an", lsoa_code="E01004300",
    latitude=51.5171, longitude=-0.0712,
)


def _record(world: World) -> Record:
    from django.utils import timezone

    return record_create(
        actor=world.officer, kind="hate_crime", reported_at=timezone.now(), narrative="Shouted at.",
        location=LocationInput(**{**PLACE.__dict__, "borough": code("borough", "E09000030", "Tower Hamlets")}),
        strands=[strand("race")],
    )


def test_the_place_is_ciphertext_in_the_database_and_plain_to_its_owner(world: World) -> None:
    record = _record(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT location_description, postcode, coordinates, postcode_index, postcode_district, lsoa_code"
            " FROM cases_record WHERE id = %s", [record.pk],
        )
        description, postcode, coordinates, index, district, lsoa = cursor.fetchone()
    assert all(value.startswith(PREFIX + ":") for value in (description, postcode, coordinates))
    assert "Acacia" not in description and "6AN" not in postcode and "51.5171" not in coordinates
    assert index == blind_index("postcode", "E16AN") and district == "E1" and lsoa == "E01004300"
    assert column_of(Record, "coordinates") == "cases.record.coordinates"
    place = place_of(record)
    assert (place.description, place.postcode, place.latitude, place.longitude) == (
        "Outside Flat 3, 12 Acacia Avenue", "E1 6AN", 51.5171, -0.0712,
    )


def test_the_owner_sees_the_place_and_an_analyst_only_the_district(world: World, client: Client) -> None:
    record = _record(world)
    url = reverse("cases:record-detail", args=[record.pk])

    client.force_login(world.officer)
    page = client.get(url).content.decode()
    assert "Outside Flat 3, 12 Acacia Avenue" in page and "E1 6AN" in page

    client.force_login(world.analyst)
    page = client.get(url).content.decode()
    assert "Acacia" not in page and "6AN" not in page
    assert "Postcode district" in page and ">E1<" in page
    assert "Not shown at your level of access" in page


def test_the_api_gives_the_place_only_in_full_and_lists_the_district(world: World, client: Client) -> None:
    record = _record(world)
    client.force_login(world.officer)
    detail = client.get(f"/api/v1/records/{record.pk}/").json()
    assert (detail["location_description"], detail["postcode"], detail["latitude"]) == (
        "Outside Flat 3, 12 Acacia Avenue", "E1 6AN", 51.5171,
    )
    listed = client.get("/api/v1/records/").json()["results"][0]
    assert listed["postcode_district"] == "E1" and "postcode" not in listed and "latitude" not in listed

    client.force_login(world.analyst)
    detail = client.get(f"/api/v1/records/{record.pk}/").json()
    assert (detail["location_description"], detail["postcode"], detail["latitude"]) == ("", "", None)
    assert detail["postcode_district"] == "E1"


def test_a_partial_api_update_keeps_the_sealed_place(world: World, client: Client) -> None:
    record = make_record(actor=world.officer)
    before = place_of(record)
    client.force_login(world.officer)
    response = client.patch(
        f"/api/v1/records/{record.pk}/", {"row_version": record.row_version, "is_online": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert place_of(record) == before and record.is_online
