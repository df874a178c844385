"""API token authentication against hashed, expiring tokens (``accounts.ApiToken``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from umbrella.accounts.models import ApiToken


class HashedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, as before; the key is looked up by its digest and refused
    once expired or revoked, with the same answer as an unknown key. A read-only token is refused
    (403) on any method that writes, whatever the view: the check is here, not in each view."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        found = super().authenticate(request)
        if found is not None and found[1].scope != "write" and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("This API token may only read. Ask for a token with write scope.")
        return found

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return token.user, token
