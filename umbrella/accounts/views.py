from __future__ import annotations

from django import forms
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from umbrella.accounts.services import SignInError, user_sign_in_check
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


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    timed_out = bool(request.session.pop("umbrella_timed_out", False))
    form = SignInForm(request.POST if request.method == "POST" else None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_in_check(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except SignInError as error:
            # Shown against the username so the error summary has somewhere to link.
            form.add_error("username", error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "/")
    return render(request, "accounts/sign_in.html", {"form": form, "timed_out": timed_out, "next": next_url})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_event_write(actor=request.user, action=actions.USER_SIGN_OUT, target=request.user)  # type: ignore[arg-type]
    logout(request)
    return redirect("accounts:sign-in")
