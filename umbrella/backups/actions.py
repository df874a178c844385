"""Stable audit action codes. Codes are stored; never rename one, add a new one instead."""

from __future__ import annotations

from typing import Final

BACKUP_CREATE: Final = "backup.create"
BACKUP_RESTORE: Final = "backup.restore"
