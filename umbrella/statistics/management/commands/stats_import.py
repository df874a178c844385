"""``umbrella stats import home-office|mps-monthly|boroughs|lsoa FILE [--centroids FILE] [--as USER]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.accounts.models import User
from umbrella.statistics.baselines import BaselineFileError, baseline_import
from umbrella.statistics.boundaries import boundaries_import
from umbrella.statistics.models import BaselineCount, BaselineSource, BoroughBoundary, SmallArea
from umbrella.statistics.small_areas import small_areas_import


class Command(BaseCommand):
    help = (
        "Imports official figures to count against: 'home-office' (the bulletin's .ods data tables, or the "
        "per-force CSV) or 'mps-monthly' (the Met's monthly borough series, wide CSV). Idempotent: a figure "
        "already imported is replaced by the file's. 'boroughs' reads a GeoJSON boundary file (each feature a "
        "borough's GSS code) for the maps. 'lsoa' reads a lookup of London's small areas (LSOA code, name and "
        "borough, e.g. LSOA11CD,LSOA11NM,LAD_CD) for the hotspots, with --centroids a CSV of their centroids "
        "(LSOACD,latitude,longitude) for the map. Nothing is saved if any part of a file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=[*BaselineSource.values, "boroughs", "lsoa"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--centroids", type=Path, help="With lsoa: a CSV of each area's centroid, for the map.")
        parser.add_argument("--as", dest="username", metavar="USER", help="Audit the import as this user.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"There is no active user called {options['username']}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if options["source"] == "lsoa":
            centroids: Path | None = options["centroids"]
            if centroids is not None and not centroids.is_file():
                raise CommandError(f"{centroids} is not a file.")
            try:
                count, placed = small_areas_import(actor=actor, lookup=path, centroids=centroids)
            except BaselineFileError as exc:
                raise CommandError(f"{exc}. Nothing was imported.") from exc
            self.stdout.write(self.style.SUCCESS(
                f"Imported {count} small areas (LSOAs) from {path.name}, {placed} with a centroid. "
                f"{SmallArea.objects.count()} small areas held."))
            return
        if options["source"] == "boroughs":
            try:
                count = boundaries_import(actor=actor, path=path)
            except BaselineFileError as exc:
                raise CommandError(f"{exc}. Nothing was imported.") from exc
            held = BoroughBoundary.objects.count()
            self.stdout.write(self.style.SUCCESS(f"Imported the outlines of {count} boroughs from {path.name}. "
                                                 f"{held} boroughs have an outline."))
            return
        try:
            baseline = baseline_import(actor=actor, source=options["source"], path=path)
        except BaselineFileError as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc
        held = BaselineCount.objects.filter(source=baseline.source).count()
        self.stdout.write(self.style.SUCCESS(
            f"Imported {baseline.rows} figures from {path.name} ({baseline.attribution}; {baseline.licence}). "
            f"{held} {baseline.source} figures held."
        ))
