"""Serializer fields every app's API shares. (Reference codes have theirs in reference.api.)"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class TextField(serializers.CharField):
    """A CharField that takes only JSON strings: DRF would turn 123 or 1.5 into "123" and "1.5",
    so a client's wrong type would be stored as text instead of answered with a clear error."""

    default_error_messages = {"not_a_string": "Give this as a string (in quotes)."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))
