"""Turning what services raise into RFC 9457 problems.

``umbrella.core.problems`` renders DRF exceptions as problem+json. Services raise Django's own
exceptions (``ValidationError``, ``PermissionDenied``, ``Model.DoesNotExist``); this module
translates them first, so every API answer, whatever failed, has the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status

CONFLICT_TYPE = "https://umbrella.example/problems/conflict"
QUERY_PARAMETER_TYPE = "https://umbrella.example/problems/invalid-query-parameter"

# Service error keys that the services' own concurrency check uses.
CONFLICT_KEYS = frozenset({"row_version"})


class Conflict(exceptions.ValidationError):
    """The record changed since the client read it (optimistic concurrency)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class InvalidQueryParameter(exceptions.ValidationError):
    """A query parameter (filter, sort, page) that cannot be used; errors name the parameter."""

    default_code = "invalid_query_parameter"


def _messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: list(value) for key, value in exc.message_dict.items()}
    return {"non_field_errors": list(exc.messages)}


def api_exception(exc: Exception, *, field_names: Mapping[str, str] | None = None) -> Exception:
    """The DRF exception to raise for ``exc``; ``exc`` itself when it needs no translation.

    ``field_names`` renames service error keys to the request body's field names, so each
    error's JSON pointer leads to the field the client sent (e.g. ``strands`` → ``strand`` when
    one strand is posted on its own).
    """
    if isinstance(exc, DjangoValidationError):
        renames = field_names or {}
        errors: dict[str, Any] = {}
        for key, messages in _messages(exc).items():
            name = renames.get(key, key)
            errors.setdefault(name, []).extend(messages)
        if CONFLICT_KEYS & errors.keys():
            return Conflict(errors)
        return exceptions.ValidationError(errors)
    if isinstance(exc, ObjectDoesNotExist):
        # Missing and out of scope look the same, so a record's existence is never revealed.
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        message = str(exc) or "You do not have permission to do this."
        return exceptions.PermissionDenied(message)
    return exc


def refine_problem(exc: Exception, body: Any) -> Any:
    """Adjusts the problem body ``umbrella.core.problems`` built for our own exception types."""
    if not isinstance(body, dict):
        return body
    if isinstance(exc, Conflict):
        body["type"] = CONFLICT_TYPE
        body["detail"] = " ".join(error["detail"] for error in body.get("errors", [])) or body.get("detail")
    elif isinstance(exc, InvalidQueryParameter):
        body["type"] = QUERY_PARAMETER_TYPE
        body["detail"] = "Correct the query parameters listed and try again."
        body["errors"] = [
            {"parameter": error["pointer"].lstrip("/"), "detail": error["detail"]}
            for error in body.get("errors", [])
        ]
    return body
