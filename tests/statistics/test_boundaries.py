"""Borough outlines: imported from a GeoJSON boundary file (never bundled), simplified, checked
feature by feature, and drawn as a map of the counts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.statistics.test_facts import committed, london  # noqa: F401  (the same small London)
from umbrella.audit.models import AuditEvent
from umbrella.reference.seed import seed_reference_data
from umbrella.statistics import actions
from umbrella.statistics.boundaries import _simplified, borough_map
from umbrella.statistics.models import BoroughBoundary

BOROUGHS = (Path(__file__).resolve().parents[2].parent / "shared" / "data" / "london-boroughs"
            / "London_Borough_Excluding_MHW.geojson")


def test_a_ring_keeps_its_corners_and_loses_the_points_between() -> None:
    square = [[0.0, 0.0], *[[0.0, i / 100] for i in range(1, 100)], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    assert _simplified(square, 0.0004) == [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]


def test_the_datastores_boroughs_are_imported_once_simplified_and_drawn(
    world: World, london: dict[str, Any], client: Client  # noqa: F811
) -> None:
    if not BOROUGHS.exists():
        pytest.skip(f"{BOROUGHS} is absent: the shared data sets live beside the repository (../shared/data)")
    seed_reference_data()  # every borough's code
    assert borough_map({}, title="Records", alt_text="Map") is None  # nothing to draw before the import
    out = StringIO()
    call_command("stats_import", "boroughs", str(BOROUGHS), stdout=out)
    assert "Imported the outlines of 33 boroughs" in out.getvalue()
    call_command("stats_import", "boroughs", str(BOROUGHS), stdout=StringIO())  # again: the same 33
    assert BoroughBoundary.objects.count() == 33
    points = sum(len(ring) for b in BoroughBoundary.objects.all() for polygon in b.geometry["coordinates"] for ring in polygon)
    assert 1_000 < points < 6_000  # from 48,548 in the file
    assert AuditEvent.objects.filter(action=actions.STATISTICS_BOUNDARIES_IMPORT).count() == 2
    drawn = borough_map({"E09000030": 12}, title="Records", alt_text="Map")
    assert drawn is not None and drawn.svg.startswith("<svg") and drawn.svg.count("<path") >= 33
    client.force_login(world.analyst)
    month = timezone.localtime(london["two_strands"].reported_at)
    page = client.get(f"/statistics/?from_month={month:%Y-%m}&to_month={month:%Y-%m}").content.decode()
    assert 'alt="Map of London&#x27;s boroughs shaded by the number of records' in page


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "is not a GeoJSON file"),
    (json.dumps({"type": "Feature"}), "is not a GeoJSON FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"GSS_CODE": "E09000030"},
         "geometry": {"type": "Polygon", "coordinates": [[[-0.03, 51.5], [-0.02, 51.5], [-0.02, 51.51], [-0.03, 51.5]]]}},
        {"type": "Feature", "properties": {"GSS_CODE": "E99999999"}, "geometry": None}]}),
     "feature 2: E99999999 is not a London borough's GSS code"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"GSS_CODE": "E09000030"},
         "geometry": {"type": "Polygon", "coordinates": [[[530000, 180000], [531000, 180000], [531000, 181000],
                                                          [530000, 180000]]]}}]}),
     r"not longitude and latitude \(WGS 84\)"),
    (json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"NAME": "Somewhere"}}]}),
     "feature 1: no GSS code"),
])
def test_a_bad_boundary_file_is_explained_and_nothing_is_saved(
    world: World, tmp_path: Path, content: str, message: str
) -> None:
    seed_reference_data()
    path = tmp_path / "boroughs.geojson"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("stats_import", "boroughs", str(path), stdout=StringIO())
    assert not BoroughBoundary.objects.exists()
