"""What this app plugs into the shared pages (called from ``AppConfig.ready``)."""

from __future__ import annotations


def register() -> None:
    from umbrella.core.extensions import NavEntry, register_navigation
    from umbrella.subject_access.policy import can_handle_subject_requests

    register_navigation(NavEntry("People's requests", "/subject-access/", allowed=can_handle_subject_requests, order=79))
