from __future__ import annotations

import base64
import time

import segno
from django import forms
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login  # type: ignore[import-untyped]  # no py.typed marker
from django_otp.plugins.otp_totp.models import TOTPDevice

from umbrella.accounts.models import IdentityProvider, User
from umbrella.accounts.pending import (
    PENDING_FAILURES,
    PENDING_MAX_FAILURES,
    PENDING_NEXT,
    PENDING_SINCE,
    PENDING_USER,
    forget_pending,
    pending_user,
    safe_next,
)
from umbrella.accounts.services import SignInError, user_sign_in_check
from umbrella.accounts.single_sign_on import (
    SingleSignOnRefused,
    identity_providers_offered,
    oidc_client,
    single_sign_on_complete,
)
from umbrella.accounts.two_factor import (
    CodeRefused,
    has_two_factor,
    two_factor_confirm,
    two_factor_device_for,
    two_factor_new_key,
    two_factor_verify,
)
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Password",
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    timed_out = bool(request.session.pop("umbrella_timed_out", False))
    form = SignInForm(request.POST if request.method == "POST" else None)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_in_check(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except SignInError as error:
            # Shown against the username so the error summary has somewhere to link.
            form.add_error("username", error.message)
        else:
            return _signed_in(request, user, next_url)
    return _sign_in_page(request, form=form, timed_out=timed_out, next_url=next_url)


def _sign_in_page(request: HttpRequest, *, form: SignInForm, timed_out: bool = False, next_url: str = "",
                  sso_error: str = "") -> HttpResponse:
    return render(request, "accounts/sign_in.html", {
        "form": form, "timed_out": timed_out, "next": next_url, "providers": identity_providers_offered(),
        "sso_errors": [{"href": "#single-sign-on", "text": sso_error}] if sso_error else [],
    }, status=400 if sso_error else 200)


def _signed_in(request: HttpRequest, user: User, next_url: str, *, code_needed: bool = True) -> HttpResponse:
    """Signs the user in, or first asks for their two-factor code when they have set it up."""
    if code_needed and has_two_factor(user):
        # Not signed in yet: the password is right, the code comes next (a few minutes to give it).
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_SINCE] = time.time()
        request.session[PENDING_NEXT] = next_url
        request.session[PENDING_FAILURES] = 0
        return redirect("accounts:two-factor")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url or "/")


SSO_NEXT, SSO_ASSURED = "umbrella_sso_next", "umbrella_sso_two_factor"


def _provider_unreachable(provider: IdentityProvider) -> str:
    return (f"{provider.name} could not be reached, or did not answer as expected. "
            "Try again in a few minutes, or sign in with your password.")


@require_http_methods(["GET"])
def single_sign_on_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Sends the browser to the organisation's identity provider."""
    from authlib.integrations.base_client import OAuthError
    from requests import RequestException

    provider = get_object_or_404(IdentityProvider, slug=slug, active=True)
    next_url = safe_next(request, request.GET.get("next") or "")
    try:
        client = oidc_client(provider)
        request.session[SSO_NEXT] = next_url
        sent: HttpResponse = client.authorize_redirect(
            request, request.build_absolute_uri(reverse("accounts:single-sign-on-return", args=[provider.slug])))
        return sent
    except SingleSignOnRefused as refused:
        return _sign_in_page(request, form=SignInForm(), next_url=next_url, sso_error=refused.message)
    except (OAuthError, RequestException, ValueError, KeyError):
        return _sign_in_page(request, form=SignInForm(), next_url=next_url, sso_error=_provider_unreachable(provider))


@require_http_methods(["GET"])
def single_sign_on_return(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the provider sends the browser back: the code is exchanged for a verified ID token,
    whose claims say which account signs in."""
    from authlib.integrations.base_client import MismatchingStateError, OAuthError
    from joserfc.errors import JoseError
    from requests import RequestException

    provider = get_object_or_404(IdentityProvider, slug=slug, active=True)
    next_url = safe_next(request, str(request.session.pop(SSO_NEXT, "") or ""))
    try:
        client = oidc_client(provider)
        token = client.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims:
            raise ValueError("no ID token")
        user = single_sign_on_complete(provider=provider, claims=claims)
    except SingleSignOnRefused as refused:
        return _sign_in_page(request, form=SignInForm(), sso_error=refused.message)
    except MismatchingStateError:
        return _sign_in_page(request, form=SignInForm(), sso_error=(
            "Signing in took too long, or was started in another browser or tab. Start again."))
    except (OAuthError, JoseError, RequestException, ValueError, KeyError):
        return _sign_in_page(request, form=SignInForm(), sso_error=_provider_unreachable(provider))
    # A provider that asks for a second factor itself is not asked again here.
    response = _signed_in(request, user, next_url, code_needed=not provider.assures_two_factor)
    if provider.assures_two_factor:
        request.session[SSO_ASSURED] = True
    return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=20, help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}),
    )


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for accounts with two-factor sign-in."""
    user = pending_user(request)
    if user is None:
        forget_pending(request)
        return redirect("accounts:sign-in")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(user=user, code=form.cleaned_data["code"])
        except CodeRefused:
            failures = int(request.session.get(PENDING_FAILURES, 0)) + 1
            if failures >= PENDING_MAX_FAILURES:
                forget_pending(request)
                return redirect("accounts:sign-in")
            request.session[PENDING_FAILURES] = failures
            form.add_error("code", "The code is wrong or has expired: enter the newest code from your app, or a recovery code")
        else:
            next_url = str(request.session.get(PENDING_NEXT) or "")
            forget_pending(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(safe_next(request, next_url) or "/")
    from umbrella.accounts.passkeys import has_passkey

    return render(request, "accounts/two_factor.html", {"form": form, "passkey": has_passkey(user)},
                  status=400 if form.errors else 200)


SETUP_KEY = "umbrella_2fa_new_key"


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: its key as a QR code and as text, then a code from it."""
    user = request.user
    key = request.session.get(SETUP_KEY) or two_factor_new_key()
    request.session[SETUP_KEY] = key
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_confirm(actor=user, key=key, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except CodeRefused:
            form.add_error("code", "The code is wrong or has expired: enter the newest code your app shows")
        else:
            request.session.pop(SETUP_KEY, None)
            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            return render(request, "accounts/two_factor_codes.html", {"codes": codes})
    device = two_factor_device_for(user, key)  # type: ignore[arg-type]
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "key_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
        # An image to assistive technology, named; the key is also given as text below it.
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code of your sign-in key")
        .replace("<svg ", '<svg role="img" aria-label="QR code of your sign-in key" ', 1),
        "already": has_two_factor(user),  # type: ignore[arg-type]
    }, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@login_required
def passkeys(request: HttpRequest) -> HttpResponse:
    """The person's passkeys, and adding one (in a browser that can) beside their authenticator app."""
    from umbrella.accounts.passkeys import passkeys_of

    user = request.user
    return render(request, "accounts/passkeys.html", {
        "passkeys": passkeys_of(user),
        "can_add": has_two_factor(user) and user.is_verified(),  # type: ignore[arg-type,union-attr]
        "has_two_factor": has_two_factor(user),  # type: ignore[arg-type]
    })


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_event_write(actor=request.user, action=actions.USER_SIGN_OUT, target=request.user)  # type: ignore[arg-type]
    logout(request)
    return redirect("accounts:sign-in")
