"""London's small areas (LSOAs) for the hotspots: a lookup of each LSOA to its borough (a CSV with
the ONS's columns, e.g. ``LSOA11CD,LSOA11NM,LAD_CD``; 2021 codes as ``LSOA21CD,...`` too) and,
optionally, the centroids the map draws them at (a CSV ``LSOACD,latitude,longitude``, which may
cover the whole country: only the lookup's areas are kept). Never bundled: an administrator imports
them with ``umbrella stats import lsoa LOOKUP.csv --centroids CENTROIDS.csv``.

A file with any row that cannot be read is refused whole, naming the row and the column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from umbrella.audit.services import audit_event_write
from umbrella.reference.selectors import current_codes
from umbrella.statistics import actions
from umbrella.statistics.baselines import BaselineFileError
from umbrella.statistics.models import SmallArea

if TYPE_CHECKING:
    from umbrella.accounts.models import User

CODE_COLUMNS = ("LSOA11CD", "LSOA21CD", "lsoa11cd", "lsoa21cd", "LSOACD", "lsoa_code")
NAME_COLUMNS = ("LSOA11NM", "LSOA21NM", "lsoa11nm", "lsoa21nm", "LSOANM", "lsoa_name")
BOROUGH_COLUMNS = ("LAD_CD", "LAD11CD", "LAD21CD", "LAD22CD", "LADCD", "borough_code")
CENTROID_CODE_COLUMNS = ("LSOACD", "lsoa11cd", "LSOA11CD", "LSOA21CD", "lsoa21cd", "lsoa_code")
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    borough: str
    latitude: float | None = None
    longitude: float | None = None


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BaselineFileError(f"{path.name} is not a UTF-8 CSV file: {error}") from error
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _column(header: list[str], names: tuple[str, ...], path: Path, what: str) -> str:
    found = next((name for name in names if name in header), None)
    if found is None:
        raise BaselineFileError(f"{path.name} has no column for {what} (one of {', '.join(names[:3])})")
    return found


def read_lookup(path: Path) -> list[Area]:
    """Each LSOA in the lookup with its name and borough; every borough must be a London borough
    Umbrella knows (reference data ``borough``)."""
    header, rows = _rows(path)
    code_at = _column(header, CODE_COLUMNS, path, "the LSOA code")
    name_at = _column(header, NAME_COLUMNS, path, "the LSOA name")
    borough_at = _column(header, BOROUGH_COLUMNS, path, "the borough's GSS code")
    boroughs = {code.code for code in current_codes(scheme="borough")}
    found: dict[str, Area] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        code, name, borough = (row.get(code_at) or "").strip(), (row.get(name_at) or "").strip(), (row.get(borough_at) or "").strip()
        where = f"{path.name}, row {number}"
        if not LSOA_CODE.match(code):
            raise BaselineFileError(f"{where}, column {code_at}: {code!r} is not an LSOA code (E01 and six digits)")
        if not name:
            raise BaselineFileError(f"{where}, column {name_at}: the name is empty")
        if borough not in boroughs:
            raise BaselineFileError(f"{where}, column {borough_at}: {borough!r} is not a London borough's GSS code")
        if code in found:
            raise BaselineFileError(f"{where}, column {code_at}: {code} appears twice")
        found[code] = Area(code, name[:100], borough)
    if not found:
        raise BaselineFileError(f"{path.name} has no rows")
    return list(found.values())


def read_centroids(path: Path, wanted: set[str]) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of each wanted LSOA in the file; rows for other areas are passed over."""
    header, rows = _rows(path)
    code_at = _column(header, CENTROID_CODE_COLUMNS, path, "the LSOA code")
    latitude_at = _column(header, ("latitude", "lat", "LAT"), path, "the latitude")
    longitude_at = _column(header, ("longitude", "long", "lon", "LONG"), path, "the longitude")
    found: dict[str, tuple[float, float]] = {}
    for number, row in enumerate(rows, start=2):
        code = (row.get(code_at) or "").strip()
        if code not in wanted:
            continue
        where = f"{path.name}, row {number}"
        try:
            latitude, longitude = float(row.get(latitude_at) or ""), float(row.get(longitude_at) or "")
        except ValueError:
            raise BaselineFileError(f"{where}, columns {latitude_at} and {longitude_at}: not numbers") from None
        if not (49 <= latitude <= 61 and -9 <= longitude <= 2):
            raise BaselineFileError(f"{where}, columns {latitude_at} and {longitude_at}: {latitude}, {longitude} is not "
                                    "in Great Britain (latitude and longitude, WGS 84)")
        found[code] = (latitude, longitude)
    return found


def _digest(*paths: Path) -> str:
    hashed = hashlib.sha256()
    for path in paths:
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


@transaction.atomic
def small_areas_import(*, actor: User | None, lookup: Path, centroids: Path | None = None) -> tuple[int, int]:
    """Replaces the small areas of the boroughs in the lookup (others are kept), audited; returns
    (areas imported, of which with a centroid). Nothing is saved if either file has a bad row."""
    areas = read_lookup(lookup)
    points = read_centroids(centroids, {area.code for area in areas}) if centroids is not None else {}
    digest = _digest(lookup, *([centroids] if centroids is not None else []))
    boroughs = sorted({area.borough for area in areas})
    SmallArea.objects.filter(borough__in=boroughs).delete()
    SmallArea.objects.filter(code__in=[area.code for area in areas]).delete()
    SmallArea.objects.bulk_create([
        SmallArea(code=area.code, name=area.name, borough=area.borough,
                  latitude=points.get(area.code, (None, None))[0], longitude=points.get(area.code, (None, None))[1],
                  file_name=lookup.name, sha256=digest)
        for area in areas
    ], batch_size=1000)
    audit_event_write(actor=actor, action=actions.STATISTICS_SMALL_AREAS_IMPORT, target=None, target_label=lookup.name,
                      changes={"areas": len(areas), "with_centroids": len(points), "boroughs": len(boroughs),
                               "sha256": digest})
    return len(areas), len(points)
