"""Role gates for record endpoints, the same as the record pages apply.

Writes: a role that can never change records is told so with 403 before anything about the
record is looked at, so the answer says nothing about which records exist (and an empty body
never reaches validation). The list: a role that cannot read records gets 403, as on the list
page. Reading one record has no role gate: scope decides, and out of scope is 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from umbrella.accounts.policy import can_read_records, can_write_records


class RecordAccess(BasePermission):
    message = "Your role does not give access to individual records."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return can_read_records(user) or not getattr(view, "gates_reads", False)
        if not can_write_records(user):
            self.message = "Your role cannot change records."
            return False
        return True
