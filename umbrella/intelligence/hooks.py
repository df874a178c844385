"""Plugs the intelligence products into the navigation, and linked records into the record page."""

from __future__ import annotations

from typing import Any


def linked_panel(user: Any, record: Any) -> Any:
    """On a record: its people's other records the reader may open, from the last linkage run."""
    from umbrella.core.extensions import RecordPanel
    from umbrella.intelligence.people import linked_records

    found = linked_records(user=user, record=record)
    return RecordPanel(template="intelligence/linked_panel.html", context={"linked": found}, order=45) if found else None


def register() -> None:
    from umbrella.core.extensions import NavEntry, register_navigation, register_record_panel
    from umbrella.intelligence.policy import can_make_products

    register_navigation(NavEntry("Problem profiles", "/intelligence/profiles/", allowed=can_make_products, order=82))
    register_navigation(NavEntry("Repeat suspects", "/intelligence/suspects/", allowed=can_make_products, order=83))
    register_record_panel("intelligence.linked", linked_panel)
