"""Hotspots: the boroughs whose count of a kind of hate is above what their own history leads one
to expect, for a month, judged as the scan judges it."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code, make_record, strand
from umbrella.statistics.forms import months_back
from umbrella.statistics.services import facts_rebuild
from umbrella.tension.selectors import hotspots


def test_a_borough_whose_month_rises_above_its_history_is_a_hotspot(world: World, client: Client) -> None:
    code("borough", "E09000030", "Tower Hamlets", gss="E09000030")
    today = timezone.localdate()
    last_month = months_back(today.replace(day=1), 2)
    for back in range(2, 17):  # two a month in Tower Hamlets for fifteen months before the last
        day = months_back(today.replace(day=1), back + 1).replace(day=10)
        for _ in range(2):
            make_record(actor=world.officer, strands=[strand("race")], borough="E09000030", days_ago=(today - day).days)
    spike = last_month.replace(day=12)
    for _ in range(14):
        make_record(actor=world.officer, strands=[strand("race")], borough="E09000030", days_ago=(today - spike).days)
    make_record(actor=world.officer, strands=[strand("race")], borough="E09000033", days_ago=(today - spike).days)
    facts_rebuild(actor=None)
    found = hotspots(month=last_month)
    top = found[0]
    assert (top.area, top.strand, top.observed, top.alert) == ("E09000030", "race", 14, True)
    assert top.expected < 4 and top.score > 1
    assert not [spot for spot in found if spot.area == "E09000033"]  # one record with no history behind it
    assert hotspots(month=last_month, strand="religion") == []
    client.force_login(world.analyst)
    page = client.get("/tension/hotspots/").content.decode()
    assert f"Hotspots: {last_month:%B %Y}" in page
    row = page[page.index('id="table-hotspots"'):]
    assert "Tower Hamlets" in row and "Alert" in row and ">14<" in row
    assert "There is a problem" in client.get("/tension/hotspots/?month=2026-13").content.decode()
    client.force_login(world.officer)
    assert client.get("/tension/hotspots/").status_code == 403
