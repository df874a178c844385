"""Audit action codes written by sharing grants."""

from __future__ import annotations

from typing import Final

SHARE_GRANT: Final = "share.grant"
SHARE_REVOKE: Final = "share.revoke"
