"""Small-area hotspots: each LSOA's count over twelve months against an equal share of its
borough's, with the false discoveries across every area held at one in twenty; counts only."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code, make_record
from umbrella.statistics.models import BoroughBoundary, SmallArea
from umbrella.statistics.services import facts_rebuild
from umbrella.tension.selectors import small_area_hotspots

TOWER_HAMLETS, WESTMINSTER = "E09000030", "E09000033"


def areas() -> None:
    for number in range(1, 11):
        SmallArea.objects.create(code=f"E0100{number:04d}", name=f"Tower Hamlets {number:03d}A", borough=TOWER_HAMLETS,
                                 latitude=51.51 + number / 1000, longitude=-0.03, file_name="lookup.csv", sha256="0" * 64)
    for number in range(11, 15):
        SmallArea.objects.create(code=f"E0100{number:04d}", name=f"Westminster {number:03d}A", borough=WESTMINSTER,
                                 file_name="lookup.csv", sha256="0" * 64)


def test_an_area_far_above_its_share_of_its_borough_is_a_hotspot_and_small_counts_never_are(
    world: World, client: Client
) -> None:
    code("borough", TOWER_HAMLETS, "Tower Hamlets", gss=TOWER_HAMLETS)
    code("borough", WESTMINSTER, "Westminster", gss=WESTMINSTER)
    for _ in range(12):
        make_record(actor=world.officer, borough=TOWER_HAMLETS, lsoa="E01000001", days_ago=40)
    for number in range(2, 7):
        make_record(actor=world.officer, borough=TOWER_HAMLETS, lsoa=f"E0100{number:04d}", days_ago=40)
    for _ in range(4):  # four in one of Westminster's four areas: unlikely, but too few to mean anything
        make_record(actor=world.officer, borough=WESTMINSTER, lsoa="E01000011", days_ago=40)
    for _ in range(3):
        make_record(actor=world.officer, borough=WESTMINSTER, days_ago=40)  # no small area
    make_record(actor=world.officer, borough=WESTMINSTER, lsoa="E01000011", days_ago=500)  # before the window
    facts_rebuild(actor=None)
    month = timezone.localdate().replace(day=1)
    client.force_login(world.analyst)
    assert "No small areas have been imported" in client.get("/tension/hotspots/").content.decode()
    assert small_area_hotspots(month=month).hotspots == []

    areas()
    found = small_area_hotspots(month=month)
    assert (found.located, found.unlocated, found.compared, found.areas_known) == (21, 3, 14, 14)
    [spot] = found.hotspots
    assert (spot.code, spot.observed, round(spot.expected, 1)) == ("E01000001", 12, 1.7)
    assert spot.p_value < 1e-6 and round(spot.ratio, 1) == 7.1
    assert small_area_hotspots(month=month, strand="religion").hotspots == []
    page = client.get("/tension/hotspots/").content.decode()
    table = page[page.index('id="table-small-areas"'):]
    assert "Tower Hamlets 001A" in table and ">12<" in table and "Westminster 011A" not in table
    assert "21 records with a small area compared across 14 areas; 3 without one not compared" in page
    assert 'id="chart-small-areas"' not in page  # no borough outlines imported: the table alone

    square = [[[[-0.1, 51.4], [0.1, 51.4], [0.1, 51.6], [-0.1, 51.6], [-0.1, 51.4]]]]
    BoroughBoundary.objects.create(code=TOWER_HAMLETS, name="Tower Hamlets", file_name="b.geojson", sha256="0" * 64,
                                   geometry={"type": "MultiPolygon", "coordinates": square})
    page = client.get("/tension/hotspots/").content.decode()
    assert 'id="chart-small-areas"' in page and "a circle at each small-area hotspot" in page


def test_a_partners_record_without_consent_is_not_counted_in_any_area(world: World) -> None:
    code("borough", TOWER_HAMLETS, "Tower Hamlets", gss=TOWER_HAMLETS)
    areas()
    for _ in range(12):
        make_record(actor=world.caseworker, borough=TOWER_HAMLETS, lsoa="E01000001", days_ago=40)
    facts_rebuild(actor=None)
    found = small_area_hotspots(month=timezone.localdate().replace(day=1))
    assert (found.located, found.hotspots) == (0, [])
