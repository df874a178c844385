from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from umbrella.accounts.models import Role
from umbrella.accounts.policy import (
    AUDIT_SEARCHERS,
    REFERENCE_ADMINS,
    can_read_records,
    can_write_records,
    has_role,
)
from umbrella.core.extensions import navigation_entries


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = [("Home", reverse("cases:home"))]
    if can_read_records(user):
        items.append(("Records", reverse("cases:record-list")))
    if can_write_records(user):
        items.append(("New record", reverse("cases:record-create")))
    # These areas belong to other apps; their URL prefixes are fixed in umbrella/urls.py.
    if has_role(user, REFERENCE_ADMINS):
        items.append(("Reference data", "/reference-data/"))
    if has_role(user, AUDIT_SEARCHERS):
        items.append(("Audit", "/audit/"))
    if has_role(user, frozenset({Role.ORG_ADMIN})):
        items.append(("Manage users", "/manage/"))
    items.extend((entry.text, entry.href) for entry in navigation_entries(user))
    path = request.path
    records_new = reverse("cases:record-create")
    nav = []
    for text, href in items:
        if href == "/":
            current = path == "/"
        elif href == reverse("cases:record-list"):
            current = path.startswith(href) and not path.startswith(records_new)
        else:
            current = path.startswith(href)
        nav.append({"text": text, "href": href, "current": current})
    return nav


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.UMBRELLA_SERVICE_NAME,
        "demo_mode": settings.UMBRELLA_DEMO_MODE,
        "navigation": _navigation(request),
    }
