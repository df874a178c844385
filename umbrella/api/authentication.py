"""API token authentication against hashed, expiring tokens (``accounts.ApiToken``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from umbrella.accounts.models import ApiToken


class HashedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, as before; the key is looked up by its digest and refused
    once expired or revoked, with the same answer as an unknown key."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return token.user, token
