"""Audit action codes written by imports and exports."""

from __future__ import annotations

from typing import Final

RECORDS_EXPORT: Final = "records.export"
RECORDS_IMPORT: Final = "records.import"
RECORDS_IMPORT_START: Final = "records.import_start"
