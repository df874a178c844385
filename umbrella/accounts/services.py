"""Sign-in with lock-out after repeated failures, and user management writes."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from umbrella.accounts.models import ApiToken, User
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write
from umbrella.core.ratelimit import client_address_hash, rate_count, rate_count_one


class SignInError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


GENERIC_FAILURE = "Enter a correct username and password. Accounts are locked for a while after repeated failed attempts."


THROTTLED = "Too many failed sign-in attempts from your network. Wait an hour, then try again."
SIGN_IN_BUCKET = "sign_in_failed"


def user_sign_in_check(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Returns the user if the password is right and the account is not locked; raises SignInError otherwise.

    The same message is given for unknown users, wrong passwords and locked accounts, so the
    page does not reveal which usernames exist. The failure is raised only after the transaction
    has committed: raised inside it, the failure count, the lock-out and their audit events
    would all be rolled back with it.

    An address with too many failed attempts this hour is refused before any account is looked
    at, so one machine can neither guess across accounts nor lock them all out by failing on
    purpose; the message names the network, never an account.
    """
    address = client_address_hash(request, purpose="sign_in") if request is not None else ""
    limit = settings.UMBRELLA_SIGN_IN_ATTEMPTS_PER_ADDRESS
    if address and rate_count(bucket=SIGN_IN_BUCKET, address_hash=address) >= limit:
        audit_event_write(actor=None, action=actions.USER_SIGN_IN_THROTTLED, changes={"limit_per_hour": limit})
        raise SignInError(THROTTLED)
    user = _sign_in_attempt(request=request, username=username, password=password)
    if user is None:
        if address:
            rate_count_one(bucket=SIGN_IN_BUCKET, address_hash=address)
        raise SignInError(GENERIC_FAILURE)
    return user


@transaction.atomic
def _sign_in_attempt(*, request: HttpRequest | None, username: str, password: str) -> User | None:
    candidate = User.objects.select_for_update().filter(username__iexact=username.strip()).first()
    now = timezone.now()
    if candidate is not None and candidate.locked_until is not None and candidate.locked_until > now:
        # Hash the password all the same: answering a locked account faster than a wrong password
        # (or an unknown user, which Django also hashes for) would tell which accounts exist.
        check_password(password, candidate.password)
        audit_event_write(actor=None, action=actions.USER_SIGN_IN_FAILED, target=candidate, changes={"reason": "locked"})
        return None
    user = authenticate(request, username=candidate.username if candidate else username, password=password)
    if user is None or not isinstance(user, User):
        if candidate is not None:
            candidate.failed_sign_in_count += 1
            fields = ["failed_sign_in_count"]
            if candidate.failed_sign_in_count >= settings.UMBRELLA_MAX_FAILED_SIGN_INS:
                candidate.locked_until = now + timedelta(minutes=settings.UMBRELLA_LOCKOUT_MINUTES)
                candidate.failed_sign_in_count = 0
                fields.append("locked_until")
                audit_event_write(actor=None, action=actions.USER_LOCKED_OUT, target=candidate)
            candidate.save(update_fields=fields)
            audit_event_write(actor=None, action=actions.USER_SIGN_IN_FAILED, target=candidate, changes={"reason": "password"})
        return None
    user.failed_sign_in_count = 0
    user.locked_until = None
    user.last_login = now
    user.save(update_fields=["failed_sign_in_count", "locked_until", "last_login"])
    audit_event_write(actor=user, action=actions.USER_SIGN_IN, target=user)
    return user


# ---- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User, rotate: bool = False, days: int | None = None, scope: str = "read") -> str:
    """A new API token for the user, returned once and stored only as a digest, expiring after
    ``days`` (UMBRELLA_API_TOKEN_DAYS by default), for reading only unless ``scope`` is "write".
    A user holds one token at a time: asking again without ``rotate`` is refused, since the token
    cannot be shown a second time."""
    if scope not in ("read", "write"):
        raise ValidationError({"scope": "Choose read or write"})
    now = timezone.now()
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if live.exists() and not rotate:
        raise ValidationError({"user": f"{user.username} already has an API token. Rotate it to get a new one."})
    replaced = live.update(revoked_at=now) > 0
    key = secrets.token_urlsafe(32)
    lifetime = days if days is not None else settings.UMBRELLA_API_TOKEN_DAYS
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.digest_of(key), prefix=key[:8], expires_at=now + timedelta(days=lifetime),
        scope=scope,
    )
    audit_event_write(
        actor=None, action=actions.API_TOKEN_ISSUE, target=user, target_label=user.username,
        changes={"replaced": replaced, "expires_at": token.expires_at.isoformat(), "scope": scope, "via": "api_token command"},
    )
    return key


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    now = timezone.now()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).update(revoked_at=now)
    if not revoked:
        raise ValidationError({"user": f"{user.username} has no API token."})
    audit_event_write(
        actor=None, action=actions.API_TOKEN_REVOKE, target=user, target_label=user.username,
        changes={"via": "api_token command"},
    )
