"""Plugs the intelligence products into the navigation."""

from __future__ import annotations


def register() -> None:
    from umbrella.core.extensions import NavEntry, register_navigation
    from umbrella.intelligence.policy import can_make_products

    register_navigation(NavEntry("Problem profiles", "/intelligence/profiles/", allowed=can_make_products, order=82))
