"""Audit action codes written by the statistics app."""

from __future__ import annotations

from typing import Final

STATISTICS_REBUILD: Final = "statistics.rebuild"
STATISTICS_BASELINE_IMPORT: Final = "statistics.baseline_import"
OPEN_DATA_PREPARE: Final = "statistics.open_data.prepare"
OPEN_DATA_PUBLISH: Final = "statistics.open_data.publish"
STATISTICS_PACK_DOWNLOAD: Final = "statistics.pack.download"
STATISTICS_BOUNDARIES_IMPORT: Final = "statistics.boundaries_import"
STATISTICS_SMALL_AREAS_IMPORT: Final = "statistics.small_areas_import"
