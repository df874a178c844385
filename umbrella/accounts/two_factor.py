"""Two-factor sign-in: after the password, a six-digit code from an authenticator app (TOTP, RFC
6238, through django-otp's TOTP device, which throttles wrong codes itself), or one of ten
single-use recovery codes (django-otp's static device) for when the phone is lost.

Enrolment is two steps so a mistyped key never locks anyone out: the set-up page shows a new key
(kept in the session, nothing stored) as a QR code and as text; ``two_factor_confirm`` takes a code
from the app, stores the device (replacing any earlier one) and returns new recovery codes, shown
once. Every step is audited; no event holds a key or a code.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from umbrella.agencies.models import Organisation
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write

if TYPE_CHECKING:
    from django_otp.models import Device

    from umbrella.accounts.models import User

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


class CodeRefused(Exception):
    """The code was wrong, expired, or asked for too soon after wrong ones."""


def must_use_two_factor(user: Any) -> bool:
    """Whether the account may only sign in with a code: its role is one that always must
    (UMBRELLA_TWO_FACTOR_ROLES: the administrators, by default), or its organisation requires it."""
    if getattr(user, "role", "") in settings.UMBRELLA_TWO_FACTOR_ROLES:
        return True
    organisation = getattr(user, "organisation", None)
    return bool(organisation is not None and organisation.requires_two_factor)


@transaction.atomic
def organisation_two_factor_require(*, actor: User, organisation: Organisation, required: bool) -> Organisation:
    """Makes two-factor sign-in required (or not) for every account of the organisation: its own
    administrators, or a system administrator."""
    from umbrella.accounts.models import Role

    if not (actor.role == Role.SYSTEM_ADMIN or (actor.role == Role.ORG_ADMIN and actor.organisation_id == organisation.pk)):
        raise PermissionDenied("Only the organisation's administrators or a system administrator change this.")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.requires_two_factor = required
    organisation.save(update_fields=["requires_two_factor"])
    audit_event_write(actor=actor, action=actions.ORGANISATION_TWO_FACTOR, target=organisation,
                      target_label=organisation.name, changes={"requires_two_factor": required})
    return organisation


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def two_factor_new_key() -> str:
    """A new secret for an authenticator app (160 bits, hex), kept in the session until confirmed:
    showing the set-up page writes nothing."""
    return str(random_hex(20))


def two_factor_device_for(user: User, key: str) -> TOTPDevice:
    """An unsaved device for ``key``: what the set-up page draws its QR code and key from."""
    return TOTPDevice(user=user, key=key, name=APP_DEVICE)


@transaction.atomic
def two_factor_confirm(*, actor: User, key: str, code: str) -> list[str]:
    """Turns two-factor sign-in on with a code the app shows for ``key`` (replacing any earlier
    app and recovery codes); returns the new recovery codes, shown once."""
    code = code.replace(" ", "")
    app = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    app.time = time.time()
    if not (_is_app_code(code) and app.verify(int(code), tolerance=1)):
        raise CodeRefused
    TOTPDevice.objects.filter(user=actor).delete()
    # The code just used is spent: the same one cannot sign in.
    TOTPDevice.objects.create(user=actor, key=key, name=APP_DEVICE, confirmed=True, last_t=app.t(), drift=app.drift)
    StaticDevice.objects.filter(user=actor).delete()
    recovery = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    audit_event_write(actor=actor, action=actions.USER_TWO_FACTOR_ENROLLED, target=actor,
                      changes={"recovery_codes": RECOVERY_CODES})
    return codes


def two_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts the code: the app's (six digits), or a recovery code (used up).
    Raises CodeRefused otherwise, after committing the failure's audit event; django-otp slows the
    app's device down after each wrong code (a wait that doubles)."""
    code = code.replace(" ", "").replace("-", "").lower()
    device = _verified_by(user, code)
    if device is not None:
        return device
    with transaction.atomic():
        # The app's device has counted the wrong code itself (django-otp's throttling).
        audit_event_write(actor=None, action=actions.USER_TWO_FACTOR_FAILED, target=user)
    raise CodeRefused


def _is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


@transaction.atomic
def _verified_by(user: User, code: str) -> Device | None:
    if _is_app_code(code):
        app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if app is not None and app.verify_is_allowed()[0] and app.verify_token(code):
            audit_event_write(actor=user, action=actions.USER_TWO_FACTOR_VERIFIED, target=user, changes={"with": "app"})
            return app
        return None
    recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if recovery is not None and recovery.verify_is_allowed()[0] and recovery.verify_token(code):
        audit_event_write(actor=user, action=actions.USER_TWO_FACTOR_VERIFIED, target=user,
                          changes={"with": "recovery code", "recovery_codes_left": recovery.token_set.count()})
        return recovery
    return None
