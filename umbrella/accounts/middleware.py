from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

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


# Where an account that must use two-factor sign-in and has not yet may still go: setting it up,
# signing out, and the files the pages need.
_TWO_FACTOR_OPEN = ("/accounts/two-factor/", "/accounts/sign-out/", "/accounts/sign-in/", "/static/", "/favicon.ico")


class TwoFactorRequiredMiddleware:
    """An account that must use two-factor sign-in (accounts.two_factor.must_use_two_factor) gets
    nothing else until it has (or has signed in through an identity provider that asks for a second
    factor itself): without an app set up, every page sends it to set one up; signed in
    in a session that gave no code (set up elsewhere since), it is signed out to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from umbrella.accounts.two_factor import has_two_factor, must_use_two_factor

        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated or request.path.startswith(_TWO_FACTOR_OPEN)
                or user.is_verified() or request.session.get("umbrella_sso_two_factor")
                or not must_use_two_factor(user)):
            return self.get_response(request)
        if has_two_factor(user):
            logout(request)
            return redirect("accounts:sign-in")
        return redirect("accounts:two-factor-setup")
