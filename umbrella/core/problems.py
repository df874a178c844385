"""RFC 9457 problem details for every API error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Your request has errors",
    401: "Sign in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turns DRF's nested error structure into a flat list of {pointer, detail} pairs."""
    errors: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else f"{prefix}/{key}"
            errors.extend(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            errors.extend({"pointer": prefix or "/", "detail": str(item)} for item in detail)
        else:
            for index, item in enumerate(detail):
                errors.extend(_flatten(item, f"{prefix}/{index}"))
    else:
        errors.append({"pointer": prefix or "/", "detail": str(detail)})
    return errors


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(code, "Error"),
        "status": code,
    }
    request = context.get("request")
    if request is not None:
        body["instance"] = getattr(request, "request_id", None) and f"urn:umbrella:request:{request.request_id}"
    if isinstance(exc, exceptions.ValidationError):
        body["type"] = "https://umbrella.example/problems/validation"
        body["detail"] = "Correct the errors listed and try again."
        body["errors"] = _flatten(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        body["detail"] = str(exc.detail) if not isinstance(exc.detail, (list, dict)) else body["title"]
    if code == status.HTTP_404_NOT_FOUND:
        body["detail"] = "No record was found at this address, or you do not have access to it."
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
