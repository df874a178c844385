"""Shared helpers for every app's pages: who is asking, htmx partials, service errors on forms,
and ``form_page``, the one form → service → errors or redirect path every form page takes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render

from umbrella.web.templatetags.govuk import govuk_error_items

if TYPE_CHECKING:
    from umbrella.accounts.models import User

T = TypeVar("T")


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


def posted(request: HttpRequest) -> QueryDict | None:
    """The posted data, or None for a GET. Not ``request.POST or None``: an empty POST (nothing
    chosen) must still bind the form, so it is validated and the error summary shown."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    template: str,
    save: Callable[[dict[str, Any]], T],
    then: Callable[[T], HttpResponse],
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    message: str | Callable[[T], str] = "",
    field_map: dict[str, str] | None = None,
) -> HttpResponse:
    """Every form page's one path: show the form; on a valid POST call the service (``save``, given
    the cleaned data) and go on (``then``, given what it returned) with ``message`` as a success
    banner; a service's ValidationError goes back on the form's fields and the page is shown again
    with the GOV.UK error summary and status 400, and nothing is stored. ``context`` may be a
    function: then what the page shows (and the reads it audits) is fetched only when it is shown."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form, field_map=field_map)
        else:
            text = message(result) if callable(message) else message
            if text:
                messages.success(request, text)
            return then(result)
    shown = context() if callable(context) else (context or {})
    # ``errors`` feeds the page's GOV.UK error summary (web/partials/error_summary.html).
    errors = govuk_error_items(form) if form.is_bound else []
    return render(request, template, {"form": form, "errors": errors, **shown}, status=400 if form.errors else 200)


View = Callable[..., HttpResponse]
# Any view a gate may guard: a page, or a download streamed (StreamingHttpResponse).
AnyView = TypeVar("AnyView", bound=Callable[..., HttpResponseBase])


def pages_for(allowed: Callable[[Any], bool], *, refusal: str = "") -> Callable[[AnyView], AnyView]:
    """A page's or a whole area's gate: signed-out people go to sign in; signed-in people
    ``allowed`` refuses get 404 (the pages do not exist for them, so nothing hints they do), or,
    given a ``refusal``, 403 with those words (a page their role knows of but may not use)."""

    def decorate(view: AnyView) -> AnyView:
        @login_required
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(request.user):
                if refusal:
                    raise PermissionDenied(refusal)
                raise Http404
            return view(request, *args, **kwargs)

        return cast(AnyView, gated)

    return decorate


def button_post(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    message: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
    refused: Callable[[], HttpResponse],
) -> HttpResponse:
    """A button that changes one thing (claim, release, accept, approve, activate): the service
    (``act``), then a success banner and ``then`` (given what the service returned); when the
    service refuses, each of its messages as an error banner, and ``refused``."""
    try:
        result = act()
    except ValidationError as error:
        for _, text in service_errors(error):
            messages.error(request, text)
        return refused()
    messages.success(request, message(result) if callable(message) else message)
    return then(result)
