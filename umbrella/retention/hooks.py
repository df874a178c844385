"""Puts the retention reviews in the navigation of those who decide them, and the schedule in the
navigation of those who keep it."""

from __future__ import annotations


def register() -> None:
    from umbrella.core.extensions import NavEntry, register_navigation, register_record_panel
    from umbrella.retention.policy import can_keep_schedule, can_review_retention
    from umbrella.retention.selectors import record_panel

    register_navigation(NavEntry("Retention", "/retention/", allowed=can_review_retention, order=90))
    register_navigation(NavEntry("Retention schedule", "/retention/schedule/", allowed=can_keep_schedule, order=91))
    register_record_panel("retention", record_panel)
