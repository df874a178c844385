"""What the indicators app plugs into shared pages and the record's signals."""

from __future__ import annotations


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.core.extensions import NavEntry, register_navigation
    from umbrella.indicators.policy import can_read_indicators

    register_navigation(NavEntry(text="Bias indicators", href="/indicators/", allowed=can_read_indicators, order=80))
