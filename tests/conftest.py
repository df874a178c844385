"""Personas shared by every test: each is one user in a small synthetic set of organisations."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from django.db import transaction

from tests.factories import OrganisationFactory, UserFactory
from tests.passes import BROWSER_DIRECTORY, in_every_database_pass
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.crypto.keyring import data_key_cache

T = TypeVar("T")

if TYPE_CHECKING:
    from tests.matrix.fixtures import MatrixWorld


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") and not item.nodeid.startswith(BROWSER_DIRECTORY):
            # `make browser` collects only that directory (collecting the whole suite in each worker
            # cost seconds): a browser test elsewhere would never run.
            raise pytest.UsageError(f"{item.nodeid} is a browser test outside {BROWSER_DIRECTORY}: move it there")
        if item.get_closest_marker("postgres") or in_every_database_pass(item.nodeid):
            item.add_marker(pytest.mark.every_database)


@pytest.fixture(scope="module")
def flushable_audit_table(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Lets the live-server tests' teardown flush (TRUNCATE) the database on PostgreSQL.

    The audit table refuses TRUNCATE there (it is append-only), so the flush that ends every
    transactional test would fail and leave this test's rows behind for the next. Transactional test
    modules (the live-server ones, the backup drill) use it with ``pytest.mark.usefixtures``; module scope makes
    this start before, and finish after, every test's ``transactional_db`` (pytest-django's own
    autouse fixtures would otherwise come first): the trigger is off only while this directory's
    modules run and back on before any other test does. UPDATE and DELETE stay refused throughout.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    statement = "ALTER TABLE audit_auditevent {} TRIGGER audit_auditevent_refuse_truncate"
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(statement.format("DISABLE"))
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            with connection.cursor() as cursor:
                cursor.execute(statement.format("ENABLE"))


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> None:
    # Keys live in the database, which each test rolls back; the in-memory cache must follow.
    data_key_cache.clear()


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Code labels (kept a minute) and the active indicator matcher (rechecked every few seconds)
    describe database rows, which each test rolls back. Left from an earlier test (a renamed code, a
    rolled-back rule set under a reused number), they would expire part-way through a later one,
    so two fetches in one test could differ for no reason of its own."""
    from umbrella.indicators import matching
    from umbrella.reference.selectors import clear_code_labels

    clear_code_labels()
    matching.invalidate_active_matcher()


@dataclass
class World:
    force: Organisation
    other_force: Organisation
    centre: Organisation
    other_centre: Organisation
    scrutiny_body: Organisation
    officer: User
    call_handler: User
    hub_reviewer: User
    supervisor: User
    analyst: User
    caseworker: User
    other_caseworker: User
    scrutiny_member: User
    org_admin: User
    system_admin: User
    outsider: User


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The personas and their organisations (the permission matrix builds them once per module)."""
    force = OrganisationFactory(name="Metropolitan Police Service", slug="mps", reference_prefix="MPS")
    other_force = OrganisationFactory(name="City of London Police", slug="colp", reference_prefix="COLP")
    centre = OrganisationFactory(
        name="Tell Us Centre", slug="tell-us", reference_prefix="TUC", kind=OrganisationKind.THIRD_PARTY_CENTRE
    )
    other_centre = OrganisationFactory(
        name="Community Voice", slug="community-voice", reference_prefix="CV", kind=OrganisationKind.THIRD_PARTY_CENTRE
    )
    scrutiny_body = OrganisationFactory(
        name="Independent Advisory Group", slug="iag", reference_prefix="IAG", kind=OrganisationKind.SCRUTINY_BODY
    )

    def user(username: str, organisation: Organisation | None, role: str) -> User:
        return UserFactory(username=username, organisation=organisation, role=role)

    return World(
        force=force,
        other_force=other_force,
        centre=centre,
        other_centre=other_centre,
        scrutiny_body=scrutiny_body,
        officer=user("officer", force, Role.OFFICER),
        call_handler=user("call.handler", force, Role.CALL_HANDLER),
        hub_reviewer=user("hub.reviewer", force, Role.HUB_REVIEWER),
        supervisor=user("supervisor", force, Role.SUPERVISOR),
        analyst=user("analyst", force, Role.ANALYST),
        caseworker=user("caseworker", centre, Role.PARTNER_CASEWORKER),
        other_caseworker=user("other.caseworker", other_centre, Role.PARTNER_CASEWORKER),
        scrutiny_member=user("scrutiny", scrutiny_body, Role.SCRUTINY_MEMBER),
        org_admin=user("org.admin", force, Role.ORG_ADMIN),
        system_admin=user("sysadmin", None, Role.SYSTEM_ADMIN),
        outsider=user("outsider", other_force, Role.OFFICER),
    )


@contextmanager
def built_once_for_the_module(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """What ``build`` makes, built once for a module inside a transaction that is rolled back at its
    end. Each test runs in its own savepoint inside it (pytest-django's ``db``), so whatever a test
    writes is gone before the next one, exactly as when each test built its own."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        data_key_cache.clear()
        built = build()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            data_key_cache.clear()


@pytest.fixture(scope="module")
def matrix_world_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    """The personas and the matrix's records, built once for this module (see built_once_for_the_module)."""
    from tests.matrix.fixtures import build_matrix_world  # it builds on this module's World

    with built_once_for_the_module(django_db_blocker, lambda: build_matrix_world(build_world())) as built:
        yield built


@pytest.fixture
def matrix_world(matrix_world_once: MatrixWorld, db: None) -> MatrixWorld:
    # A copy per test, as Django's setUpTestData gives: a test that changes an object in memory
    # (refresh_from_db, an arrange step) leaves the next test's objects as built.
    # A pickle round trip is a deep copy, about twice as fast as copy.deepcopy (~2 ms a test here).
    return pickle.loads(pickle.dumps(matrix_world_once, pickle.HIGHEST_PROTOCOL))  # noqa: S301 (our own objects)
