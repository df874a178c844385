"""`check --deploy` warns about an audit log its own runtime role could switch off or cut short."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from umbrella.audit.checks import (
    audit_checkpoints_configured,
    audit_table_not_owned_by_the_runtime_role,
)


@pytest.mark.django_db
def test_the_runtime_role_owning_the_audit_table_is_a_warning_on_postgresql() -> None:
    warnings = audit_table_not_owned_by_the_runtime_role()
    if connection.vendor == "postgresql":
        # The test database is created by, and so owned by, the role the tests connect as.
        assert [w.id for w in warnings] == ["umbrella.audit.W001"]
    else:
        assert warnings == []  # SQLite has no roles


def test_no_checkpoint_directory_is_a_warning(settings: Any) -> None:
    settings.UMBRELLA_AUDIT_CHECKPOINT_DIR = ""
    assert [w.id for w in audit_checkpoints_configured()] == ["umbrella.audit.W002"]
    settings.UMBRELLA_AUDIT_CHECKPOINT_DIR = "/var/lib/umbrella/audit-checkpoints"
    assert audit_checkpoints_configured() == []
