"""Two PostgreSQL roles for a deployment: the owner, which runs migrations and owns every table, and
the runtime role the web and task processes connect as, which may only read and write rows.

Run as the owner after every migration (the container's ``migrate`` step does):
``umbrella database-roles grant --runtime-role umbrella_app``. The runtime role then:

- reads and writes the rows of every table and uses every sequence, including tables that later
  migrations add (default privileges);
- may add audit events and chain them (the sealer's update of the chain columns) but not delete,
  truncate or otherwise change them: on top of the append-only trigger, which only a table's owner
  can disable, it lacks the privilege itself;
- cannot create, alter or drop tables, nor disable a trigger: only the owner can, and the web
  process never holds the owner's password.
"""

from __future__ import annotations

import re

from django.db import connection

AUDIT_TABLE = "audit_auditevent"
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RolesError(Exception):
    """The roles cannot be granted here; the message says why, for the operator."""


def runtime_grants(*, runtime_role: str, database: str) -> list[str]:
    """The statements that give ``runtime_role`` what the running service needs and no more."""
    if connection.vendor != "postgresql":
        raise RolesError("Database roles are for PostgreSQL: DATABASE_URL names an embedded SQLite database, which has none")
    if not _ROLE.match(runtime_role):
        raise RolesError("Name the runtime role in lower-case letters, numbers and underscores (like umbrella_app)")
    role = connection.ops.quote_name(runtime_role)
    statements = [
        f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(database)} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        f"REVOKE CREATE ON SCHEMA public FROM {role}",
    ]
    audit = connection.ops.quote_name(AUDIT_TABLE)
    statements += [
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {role}",
        # The sealer's one update per event (audit/sealer.py); the trigger refuses any other.
        f"GRANT UPDATE (chain_position, previous_hash, hash) ON {audit} TO {role}",
    ]
    return statements


def runtime_grant(*, runtime_role: str) -> list[str]:
    """Applies ``runtime_grants`` to this database, as its owner; returns what it ran."""
    statements = runtime_grants(runtime_role=runtime_role, database=connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [runtime_role])
        if cursor.fetchone() is None:
            raise RolesError(f"There is no role {runtime_role!r}: create it first (CREATE ROLE {runtime_role} LOGIN PASSWORD '…')")
        for statement in statements:
            cursor.execute(statement)
    return statements
