"""Audit action codes written by the intelligence app."""

from __future__ import annotations

from typing import Final

PROFILE_CREATE: Final = "intelligence.profile.create"
PROFILE_VERSION: Final = "intelligence.profile.version"
PROFILE_DOWNLOAD: Final = "intelligence.profile.download"
LINKAGE_RUN: Final = "intelligence.linkage.run"
