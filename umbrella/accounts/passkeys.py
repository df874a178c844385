"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn, django-otp's plugin for it.

A passkey is added beside the authenticator app, never instead of it: only someone who has
two-factor sign-in (and so recovery codes for a lost key) and gave a code in this session adds
one. At sign-in, after the password, the code page offers the passkey where the browser can use
one; without JavaScript, or without a passkey, the code works as before. Passwordless sign-in is
off: a passkey is never the only thing that signs someone in.

The package's views are used with three changes: the person signing in is the one whose password
was just accepted (kept in the session by ``views.sign_in``, not yet signed in), signing in ends
as a code does (the session, the audit event, where they were going), and adding or using a
passkey is audited. The relying party is the host the request came to (Django has already checked
it against ALLOWED_HOSTS), and so is the origin the browser must report.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from umbrella.accounts.pending import PENDING_NEXT, forget_pending, pending_user, safe_next
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write


def relying_party_id(request: HttpRequest) -> str:
    """The host the request came to, without its port (WebAuthn's relying party id is a domain)."""
    return request.get_host().split(":")[0]


class PasskeyHelper(WebAuthnHelper):  # type: ignore[misc]  # the package has no type hints
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


def passkeys_of(user: Any) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at"))


def has_passkey(user: Any) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


class AddPasskeyBegin(BeginCredentialRegistrationView):  # type: ignore[misc]
    def check_can_register(self) -> None:
        from umbrella.accounts.two_factor import has_two_factor

        user = self.get_user()
        if not (has_two_factor(user) and user.is_verified()):
            raise exceptions.NotVerified(detail="Set up two-factor sign-in with an authenticator app first, "
                                                "then sign in with a code: a passkey is added beside it.")


class AddPasskeyComplete(CompleteCredentialRegistrationView):  # type: ignore[misc]
    check_can_register = AddPasskeyBegin.check_can_register

    def post(self, *args: Any, **kwargs: Any) -> Any:
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            with transaction.atomic():
                audit_event_write(actor=self.request.user, action=actions.USER_PASSKEY_ADDED, target=self.request.user,
                                  changes={"passkeys": WebAuthnCredential.objects.filter(user=self.request.user).count()})
        return response


class UsePasskeyBegin(BeginCredentialAuthenticationView):  # type: ignore[misc]
    def get_user(self) -> Any:
        return pending_user(self.request)

    def check_can_authenticate(self) -> None:
        if self.get_user() is None:
            raise exceptions.NotAuthenticated()


class UsePasskeyComplete(CompleteCredentialAuthenticationView):  # type: ignore[misc]
    get_user = UsePasskeyBegin.get_user
    check_can_authenticate = UsePasskeyBegin.check_can_authenticate

    def complete_auth(self, device: WebAuthnCredential) -> Any:
        user = self.get_user()
        if device.user_id != user.pk:
            raise exceptions.InvalidState()
        self.next_url = safe_next(self.request, str(self.request.session.get(PENDING_NEXT) or ""))
        forget_pending(self.request)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        otp_login(self.request, device)
        with transaction.atomic():
            audit_event_write(actor=user, action=actions.USER_TWO_FACTOR_VERIFIED, target=user, changes={"with": "passkey"})
        return user

    def get_success_url(self) -> str:
        return getattr(self, "next_url", "") or "/"


# Under the package's own namespace: its template tags give the browser these addresses by name.
app_name = "otp_webauthn"
urlpatterns = [
    path("registration/begin/", AddPasskeyBegin.as_view(), name="credential-registration-begin"),
    path("registration/complete/", AddPasskeyComplete.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", UsePasskeyBegin.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", UsePasskeyComplete.as_view(), name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
