"""Borough outlines for the maps: read from a GeoJSON boundary file (the London Datastore's
"Statistical GIS Boundary Files for London" or any FeatureCollection whose features carry a
borough's GSS code), simplified, and drawn as a choropleth by ``borough_map``.

Simplification is Douglas-Peucker on each ring at about 40 m: the Datastore's file has 48,548
points and 2.1 MB; simplified, about 4,000 points and a 70 KB drawing, the same map at page size.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from umbrella.audit.services import audit_event_write
from umbrella.core.charts import Chart, render
from umbrella.reference.selectors import current_codes
from umbrella.statistics import actions
from umbrella.statistics.baselines import BaselineFileError
from umbrella.statistics.models import BoroughBoundary

if TYPE_CHECKING:
    from umbrella.accounts.models import User

TOLERANCE_DEGREES = 0.0004  # about 40 m of latitude in London
CODE_PROPERTIES = ("GSS_CODE", "gss_code", "code", "LAD22CD", "LAD21CD", "LAD19CD", "LAD11CD", "CTYUA22CD")


def _simplified(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker, iterative (a ring may have thousands of points)."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        start, end = stack.pop()
        (x1, y1), (x2, y2) = ring[start][:2], ring[end][:2]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        furthest, at = 0.0, -1
        for index in range(start + 1, end):
            x0, y0 = ring[index][:2]
            distance = (abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / length if length
                        else ((x0 - x1) ** 2 + (y0 - y1) ** 2) ** 0.5)
            if distance > furthest:
                furthest, at = distance, index
        if at > 0 and furthest > tolerance:
            keep[at] = True
            stack += [(start, at), (at, end)]
    return [[round(point[0], 5), round(point[1], 5)] for point, kept in zip(ring, keep, strict=True) if kept]


def _multipolygon(geometry: Mapping[str, Any], where: str) -> list[Any]:
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise BaselineFileError(f"{where}: the geometry must be a Polygon or MultiPolygon, not {kind or 'missing'}")
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            if not all(isinstance(p, list) and len(p) >= 2 and all(isinstance(v, int | float) for v in p[:2]) for p in ring):
                raise BaselineFileError(f"{where}: a ring has a point that is not a longitude and latitude")
            if any(not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in ring):
                raise BaselineFileError(f"{where}: the coordinates are not longitude and latitude (WGS 84); "
                                        "convert the file first (e.g. ogr2ogr -t_srs EPSG:4326)")
            simplified = _simplified(ring, TOLERANCE_DEGREES)
            if len(simplified) >= 4:
                rings.append(simplified)
        if rings:
            out.append(rings)
    return out


def read_boundaries(path: Path) -> list[tuple[str, str, list[Any]]]:
    """(code, name, MultiPolygon coordinates) for each borough in the file; every feature must
    name a borough Umbrella knows (reference data ``borough``). Raises BaselineFileError, naming the
    feature, for anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineFileError(f"{path.name} is not a GeoJSON file: {error}") from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise BaselineFileError(f"{path.name} is not a GeoJSON FeatureCollection")
    known = {code.code: code.label for code in current_codes(scheme="borough")}
    found: dict[str, tuple[str, str, list[Any]]] = {}
    for number, feature in enumerate(data["features"], start=1):
        where = f"{path.name}, feature {number}"
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        code = next((str(properties[name]) for name in CODE_PROPERTIES if properties.get(name)), "")
        if not code:
            raise BaselineFileError(f"{where}: no GSS code (a property called {' or '.join(CODE_PROPERTIES[:3])})")
        if code not in known:
            raise BaselineFileError(f"{where}: {code} is not a London borough's GSS code")
        if code in found:
            raise BaselineFileError(f"{where}: {code} ({known[code]}) appears twice")
        found[code] = (code, known[code], _multipolygon(feature.get("geometry") or {}, where))
    if not found:
        raise BaselineFileError(f"{path.name} has no features")
    return list(found.values())


@transaction.atomic
def boundaries_import(*, actor: User | None, path: Path) -> int:
    """Replaces the outlines of the boroughs in the file (others are kept), audited. Idempotent."""
    boroughs = read_boundaries(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for code, name, coordinates in boroughs:
        BoroughBoundary.objects.update_or_create(code=code, defaults={
            "name": name, "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            "file_name": path.name, "sha256": digest,
        })
    audit_event_write(actor=actor, action=actions.STATISTICS_BOUNDARIES_IMPORT, target=None, target_label=path.name,
                      changes={"boroughs": len(boroughs), "sha256": digest})
    return len(boroughs)


def borough_map(counts: Mapping[str, int], *, title: str, alt_text: str) -> Chart | None:
    """A choropleth of ``counts`` by GSS code over the imported outlines; None before any import.
    A borough without a count is drawn grey."""
    import altair as alt  # imported when drawn: altair is slow to import
    boundaries = list(BoroughBoundary.objects.all())
    if not boundaries:
        return None
    features = [{"type": "Feature", "geometry": b.geometry,
                 "properties": {"name": b.name, "count": counts.get(b.code)}} for b in boundaries]
    # Every borough grey underneath; those with a count shaded on top (Vega-Lite leaves a feature
    # whose value is missing out of a shaded layer altogether).
    base = alt.Chart({"values": features}).mark_geoshape(stroke="white", strokeWidth=0.8, fill="#b1b4b6")
    counted = [feature for feature in features if feature["properties"]["count"] is not None]
    layers = [base]
    if counted:
        layers.append(alt.Chart({"values": counted}).mark_geoshape(stroke="white", strokeWidth=0.8).encode(
            color=alt.Color("properties.count:Q", title=title, scale=alt.Scale(scheme="blues", zero=True)),
        ))
    shapes = alt.layer(*layers).project(type="mercator").properties(width=560, height=420)
    return render(shapes, alt_text=alt_text)


def points_map(points: list[tuple[float, float, float, str]], *, title: str, alt_text: str) -> Chart | None:
    """Circles at (latitude, longitude), sized by the value, over the imported borough outlines;
    None before the outlines are imported or when no point is given."""
    import altair as alt  # imported when drawn: altair is slow to import
    boundaries = list(BoroughBoundary.objects.all())
    if not boundaries or not points:
        return None
    features = [{"type": "Feature", "geometry": b.geometry, "properties": {"name": b.name}} for b in boundaries]
    base = alt.Chart({"values": features}).mark_geoshape(stroke="white", strokeWidth=0.8, fill="#b1b4b6")
    dots = alt.Chart({"values": [{"latitude": lat, "longitude": lon, "value": value, "name": name}
                                 for lat, lon, value, name in points]}).mark_circle(
        color="#d4351c", opacity=0.75, stroke="#0b0c0c", strokeWidth=0.5,
    ).encode(longitude="longitude:Q", latitude="latitude:Q",
             size=alt.Size("value:Q", title=title, scale=alt.Scale(range=[40, 400])))
    shapes = alt.layer(base, dots).project(type="mercator").properties(width=560, height=420)
    return render(shapes, alt_text=alt_text)
