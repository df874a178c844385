"""Shared helpers for every app's pages: who is asking, htmx partials, service errors on forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def current_user(request: HttpRequest) -> User:
    # login_required has run: the user is a signed-in accounts.User.
    return cast("User", request.user)


def is_htmx_partial(request: HttpRequest) -> bool:
    # htmx restoring history after a cache miss swaps in the whole body, so it needs the full page.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def service_errors(error: ValidationError) -> list[tuple[str | None, str]]:
    """(field, message) pairs from a service's ValidationError."""
    if hasattr(error, "error_dict"):
        return [(field, str(message)) for field, messages in error.message_dict.items() for message in messages]
    return [(None, str(message)) for message in error.messages]


def add_service_errors(error: ValidationError, form: forms.Form, *, field_map: dict[str, str] | None = None) -> None:
    """Puts a service's messages on the matching form field, or at the top of the form."""
    field_map = field_map or {}
    for field, message in service_errors(error):
        target = field_map.get(field or "", field)
        form.add_error(target if target in form.fields else None, message)
