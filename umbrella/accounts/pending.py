"""Someone between the two steps of signing in: their password accepted, their second factor
(a code, a recovery code or a passkey) not yet given. Kept in the session for a few minutes; they
are not signed in until the second step (``views.two_factor``, ``passkeys.UsePasskeyComplete``)."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

PENDING_USER, PENDING_SINCE, PENDING_NEXT, PENDING_FAILURES = (
    "umbrella_2fa_user", "umbrella_2fa_since", "umbrella_2fa_next", "umbrella_2fa_failures")
PENDING_SECONDS = 300
PENDING_MAX_FAILURES = 5


def safe_next(request: HttpRequest, target: str) -> str:
    """``target`` when it is an address on this site, else ""."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def forget_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT, PENDING_FAILURES):
        request.session.pop(key, None)


def pending_user(request: HttpRequest) -> Any:
    """The person whose password was just accepted, while the few minutes last; else None."""
    from umbrella.accounts.models import User

    pending = request.session.get(PENDING_USER)
    if pending is None or time.time() - float(request.session.get(PENDING_SINCE, 0)) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending, is_active=True).first()
