"""Audit action codes written by the tension app."""

from __future__ import annotations

from typing import Final

TRIGGER_EVENT_RECORD: Final = "tension.trigger_event.record"
TENSION_ALERTS_RAISE: Final = "tension.alerts.raise"
TENSION_ALERT_ACKNOWLEDGE: Final = "tension.alert.acknowledge"
TENSION_REPORT_RECORD: Final = "tension.report.record"
TENSION_REPORT_SHARE: Final = "tension.report.share"
