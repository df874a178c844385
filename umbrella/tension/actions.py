"""Audit action codes written by the tension app."""

from __future__ import annotations

from typing import Final

TRIGGER_EVENT_RECORD: Final = "tension.trigger_event.record"
