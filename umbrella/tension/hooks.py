"""Plugs the register of trigger events into the navigation, and shows the events of a period
beside the statistics page's counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def statistics_events_panel(user: Any, context: Mapping[str, Any]) -> Any:
    from umbrella.core.extensions import RecordPanel
    from umbrella.statistics.forms import month_end
    from umbrella.tension.policy import can_read_events
    from umbrella.tension.selectors import events_between

    if not can_read_events(user):
        return None
    first, last_month = context["period"]  # whole months: from the first's first day to the last's last
    last = month_end(last_month)
    filters = context.get("filters") or {}
    events = events_between(first, last, area=filters.get("borough", ""), strand=filters.get("strand", ""))
    return RecordPanel(template="tension/events_panel.html", context={"events": events}, order=5)


def register() -> None:
    from umbrella.core.extensions import NavEntry, register_navigation, register_page_panel
    from umbrella.core.worklist import register_worklist_provider
    from umbrella.tension.policy import can_read_events, can_read_tension_log
    from umbrella.tension.selectors import alert_work_items

    register_navigation(NavEntry("Trigger events", "/tension/events/", allowed=can_read_events, order=77))
    register_navigation(NavEntry("Tension alerts", "/tension/alerts/", allowed=can_read_events, order=78))
    register_navigation(NavEntry("Tension log", "/tension/log/", allowed=can_read_tension_log, order=79))
    register_navigation(NavEntry("Hotspots", "/tension/hotspots/", allowed=can_read_events, order=79))
    register_worklist_provider("tension.alerts", alert_work_items)
    register_page_panel("statistics.dashboard", "tension.events", statistics_events_panel)
