from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from umbrella.accounts.models import Role
from umbrella.accounts.policy import AUDIT_SEARCHERS, REFERENCE_ADMINS, has_role
from umbrella.core.extensions import navigation_entries


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # The foundations' areas (their URL prefixes are fixed in umbrella/urls.py), between the
    # records' links (cases registers them, order 10) and the features' (order 40 and on).
    items: list[tuple[int, str, str]] = [(0, "Home", "/")]
    if has_role(user, REFERENCE_ADMINS):
        items.append((20, "Reference data", "/reference-data/"))
    if has_role(user, AUDIT_SEARCHERS):
        items.append((21, "Audit", "/audit/"))
    if has_role(user, frozenset({Role.ORG_ADMIN})):
        items.append((22, "Manage users", "/manage/"))
    items.extend((entry.order, entry.text, entry.href) for entry in navigation_entries(user))
    items.sort(key=lambda item: item[0])
    hrefs = [href for _, _, href in items]
    path = request.path
    nav = []
    for _, text, href in items:
        # The longest matching link is the current one ("/records/new/" over "/records/").
        matching = [other for other in hrefs if other != "/" and path.startswith(other)]
        current = path == "/" if href == "/" else bool(matching) and max(matching, key=len) == href
        nav.append({"text": text, "href": href, "current": current})
    return nav


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.UMBRELLA_SERVICE_NAME,
        "demo_mode": settings.UMBRELLA_DEMO_MODE,
        "navigation": _navigation(request),
    }
