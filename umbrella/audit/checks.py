"""Deployment checks for the audit log (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connection

AUDIT_TABLE = "audit_auditevent"


@register(Tags.security, deploy=True)
def audit_table_not_owned_by_the_runtime_role(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """On PostgreSQL the table's owner can switch its append-only triggers off: the role the web
    app and jobs run as must not own it (a separate migration role does)."""
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableowner = current_user FROM pg_tables WHERE schemaname = current_schema() AND tablename = %s",
                [AUDIT_TABLE],
            )
            row = cursor.fetchone()
    except DatabaseError:
        return []  # not migrated yet, or no database to ask: nothing to say
    if row is None or not row[0]:
        return []
    return [Warning(
        f"The database role Umbrella runs as owns {AUDIT_TABLE}, so it could disable the audit log's "
        "append-only triggers.",
        hint="Run migrations as a separate owner role and connect as a runtime role given only what it "
             "needs: `umbrella database-roles grant --runtime-role ROLE`, as the owner (deploy/README.md).",
        id="umbrella.audit.W001",
    )]


@register(Tags.security, deploy=True)
def audit_checkpoints_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if getattr(settings, "UMBRELLA_AUDIT_CHECKPOINT_DIR", ""):
        return []
    return [Warning(
        "UMBRELLA_AUDIT_CHECKPOINT_DIR is not set: nothing outside the database records the audit chain's "
        "head, so deleting its newest events would go unnoticed.",
        hint="Point it at storage the database's administrators cannot rewrite and run "
             "`umbrella audit checkpoint` every few minutes.",
        id="umbrella.audit.W002",
    )]
