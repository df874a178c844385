"""Serializer fields for reference codes: clients send code strings ("race", "E09000033")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from umbrella.reference.models import Code
from umbrella.reference.selectors import current_code

# Long enough for any real code, short enough that an error message never echoes a pasted essay.
MAX_CODE_LENGTH = 64


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.Field):  # type: ignore[type-arg]
    """A current code of one scheme, given and shown as its code string."""

    default_error_messages = {
        "invalid": "Give a code as a string.",
        "unknown": "“{value}” is not a current {scheme} code. The codes are listed at /api/v1/reference/{scheme_path}/.",
    }

    def __init__(self, *, scheme: str, **kwargs: Any) -> None:
        self.scheme = scheme
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Code:
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        value = data.strip()[:MAX_CODE_LENGTH]
        found = current_code(scheme=self.scheme, code=value)
        if found is None:
            self.fail("unknown", value=value, scheme=self.scheme.replace("_", " "), scheme_path=self.scheme)
        return found

    def to_representation(self, value: Code) -> str:
        return value.code


class TextField(serializers.CharField):
    """A CharField that takes only JSON strings: DRF would turn 123 or 1.5 into "123" and "1.5",
    so a client's wrong type would be stored as text instead of answered with a clear error."""

    default_error_messages = {"not_a_string": "Give this as a string (in quotes)."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))
