"""The runtime database role (what the web and task processes connect as) reads and writes rows and
nothing more: it cannot delete audit events, disable their append-only trigger, or change the
schema; tables a later migration adds are open to it without granting again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.usefixtures("flushable_audit_table")


@pytest.fixture
def runtime_role(transactional_db: None) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's (the PostgreSQL pass runs this)")
    role = f"umbrella_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN")
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS added_later")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def connect_as(role: str):  # type: ignore[no-untyped-def]
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                           dbname=settings["NAME"], user=role, autocommit=True)


@pytest.mark.postgres
def test_the_runtime_role_reads_and_writes_rows_and_nothing_more(runtime_role: str) -> None:
    import psycopg

    out = StringIO()
    call_command("database_roles", "grant", "--runtime-role", runtime_role, stdout=out)
    assert "may now read and write rows, and nothing more" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE added_later (id integer)")  # as a later migration would, as the owner
    with connect_as(runtime_role) as runtime:
        assert runtime.execute("SELECT count(*) FROM accounts_user").fetchone() is not None
        runtime.execute("UPDATE accounts_user SET first_name = first_name WHERE id < 0")
        runtime.execute("DELETE FROM django_session WHERE session_key = ''")
        runtime.execute("INSERT INTO added_later VALUES (1)")
        runtime.execute("UPDATE audit_auditevent SET hash = hash WHERE id < 0")  # the sealer's columns
        refused = [
            "DELETE FROM audit_auditevent WHERE id < 0",
            "UPDATE audit_auditevent SET changes = changes WHERE id < 0",
            "TRUNCATE audit_auditevent",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
            "DROP TABLE accounts_user",
            "CREATE TABLE mine (id integer)",
        ]
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                runtime.execute(statement)


@pytest.mark.postgres
def test_the_service_runs_as_the_runtime_role(runtime_role: str) -> None:
    """Accounts made, events written, chained and verified, with the connection's privileges
    those of the runtime role (SET ROLE) rather than the owner's."""
    from django.db import transaction

    from tests.factories import OrganisationFactory, UserFactory
    from umbrella.audit.models import AuditEvent
    from umbrella.audit.sealer import audit_chain_seal
    from umbrella.audit.services import audit_event_write
    from umbrella.audit.verify import audit_chain_verify

    call_command("database_roles", "grant", "--runtime-role", runtime_role, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {runtime_role}")
    try:
        user = UserFactory(organisation=OrganisationFactory(slug="runtime"), role="officer")
        with transaction.atomic():
            audit_event_write(actor=user, action="test.as_runtime_role", target=user)
        audit_chain_seal()
        assert AuditEvent.objects.filter(action="test.as_runtime_role", chain_position__isnull=False).exists()
        assert audit_chain_verify().ok
        with pytest.raises(Exception, match="permission denied"), transaction.atomic():
            AuditEvent.objects.filter(action="test.as_runtime_role").delete()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.mark.postgres
def test_an_unknown_role_is_named(runtime_role: str) -> None:
    with pytest.raises(CommandError, match="There is no role 'nobody_here': create it first"):
        call_command("database_roles", "grant", "--runtime-role", "nobody_here")


@pytest.mark.postgres
def test_the_statements_can_be_printed_and_a_bad_name_is_refused(runtime_role: str) -> None:
    out = StringIO()
    call_command("database_roles", "grant", "--runtime-role", "umbrella_app", "--print", stdout=out)
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_auditevent" FROM "umbrella_app";' in out.getvalue()
    with pytest.raises(CommandError, match="lower-case letters"):
        call_command("database_roles", "grant", "--runtime-role", "app; DROP TABLE x", "--print")


@pytest.mark.django_db
def test_on_sqlite_it_says_roles_are_postgresqls() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite pass runs this")
    with pytest.raises(CommandError, match="Database roles are for PostgreSQL"):
        call_command("database_roles", "grant", "--runtime-role", "umbrella_app", "--print")
