from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from umbrella.core.context import request_context
from umbrella.core.ratelimit import client_address

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Gives every request an id (honouring a well-formed X-Request-ID) and records the client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # The client behind any trusted proxies, so the audit log names the person's network.
        ip_address = client_address(request) or None
        with request_context(request_id=request_id, ip_address=ip_address, memoise=True):
            request.request_id = request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ActorContextMiddleware:
    """Stops browsers and proxies caching pages that may hold personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class StaffLanguageMiddleware:
    """Keeps staff pages in English; only the public journey (/report/) follows the visitor's language.

    The public journey is translated into eight languages, two of them right to left; the staff
    pages are not yet, so a caseworker whose browser prefers Arabic would otherwise get English
    text laid out right to left.
    """

    PUBLIC_PREFIXES = ("/report/",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.PUBLIC_PREFIXES):
            from django.conf import settings
            from django.utils import translation

            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
