from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "umbrella_last_seen"
# Last-seen is rewritten at most this often, so most requests do not write the session: the idle
# sign-out is then exact to the minute (it may come up to a minute early, never late).
LAST_SEEN_RESOLUTION_S = 60


class IdleTimeoutMiddleware:
    """Signs a user out after UMBRELLA_IDLE_TIMEOUT_MINUTES without a request, to the minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN)
            limit = settings.UMBRELLA_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - float(last_seen) > limit:
                logout(request)
                request.session["umbrella_timed_out"] = True
            elif last_seen is None or now - float(last_seen) >= LAST_SEEN_RESOLUTION_S:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
