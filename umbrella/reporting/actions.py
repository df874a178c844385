"""Audit action codes of the public report journey."""

from __future__ import annotations

from typing import Final

DRAFTS_PURGED: Final = "reporting.drafts_purged"
