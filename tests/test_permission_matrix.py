"""The permission matrix: every URL pattern, every persona, GET and a write, against EXPECTATIONS.

The cases are generated from the URLconf, so a URL added without an expectation fails
``test_every_url_pattern_has_an_expectation`` by name, and an expectation whose URL has gone fails
``test_every_expectation_names_a_url_that_exists``. Each (URL, case, persona) is its own test.

Beyond the status, every response is searched for the centre's unshared record (reference,
narrative, victim's name): only the centre's own caseworker may ever see any of it. A refused write
must leave every table as it was (audit events aside: recording a refusal is not a change).
The API cases are repeated with a token instead of a session, for three personas.

Expectations live in tests/matrix/expectations.py (static files, served by WhiteNoise outside the
URLconf, are listed there too). The personas are the issue's eight plus supervisor, organisation
administrator and system administrator, who own the audit search and the admin screens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.matrix.expectations import CENTRE_RECORD_READERS, EXPECTATIONS, NOT_IN_URLCONF, Expect
from tests.matrix.fixtures import MatrixWorld
from tests.matrix.outcomes import PERSONAS, REFUSALS, Outcome, classify, matches
from tests.matrix.urlconf import url_routes
from umbrella.cases.models import Record

ROUTES = url_routes()
ROUTE_KEYS = {route.key for route in ROUTES}
ROUTE_BY_KEY = {route.key: route for route in ROUTES}
STATIC_KEY = "static files (WhiteNoise)"


@dataclass(frozen=True)
class Case:
    key: str
    variant: str
    persona: str

    @property
    def expect(self) -> Expect:
        return {**EXPECTATIONS, **NOT_IN_URLCONF}[self.key][self.variant]

    @property
    def test_id(self) -> str:
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.key}{variant}-{self.persona}"


def generated_cases() -> Iterator[Case]:
    for key in [route.key for route in ROUTES if route.key in EXPECTATIONS] + list(NOT_IN_URLCONF):
        for variant in {**EXPECTATIONS, **NOT_IN_URLCONF}[key]:
            for persona in PERSONAS:
                yield Case(key, variant, persona)


CASES = list(generated_cases())


def test_every_url_pattern_has_an_expectation() -> None:
    missing = [f"{route.key} ({route.route})" for route in ROUTES if route.key not in EXPECTATIONS]
    assert not missing, (
        "URL patterns without an entry in EXPECTATIONS (tests/matrix/expectations.py); say what each "
        "persona gets:\n  " + "\n  ".join(missing)
    )


def test_every_expectation_names_a_url_that_exists() -> None:
    stale = sorted(set(EXPECTATIONS) - ROUTE_KEYS)
    assert not stale, "EXPECTATIONS entries for URL patterns that no longer exist: " + ", ".join(stale)


def test_every_expectation_covers_every_persona() -> None:
    gaps = []
    for key, variants in {**EXPECTATIONS, **NOT_IN_URLCONF}.items():
        for variant, expect in variants.items():
            for label, table in (("GET", expect.get), ("write", expect.write)):
                if table is not None and set(table) != set(PERSONAS):
                    gaps.append(f"{key} [{variant}] {label}: {sorted(set(PERSONAS) ^ set(table))}")
    assert not gaps, "Expectations that do not name every persona exactly once:\n  " + "\n  ".join(gaps)


def test_the_matrix_walks_every_included_urlconf() -> None:
    # A walk that stopped at the first level would find nothing to check under the includes.
    prefixes = {route.route.split("/")[1] for route in ROUTES}
    assert {"", "accounts", "api", "audit", "reference-data", "exports", "manage"} <= prefixes


def address_of(case: Case, matrix_world: MatrixWorld) -> str:
    expect = case.expect
    if expect.path is not None:
        return expect.path(matrix_world)
    params = ROUTE_BY_KEY[case.key].params
    return reverse(case.key, kwargs={name: value for name, value in expect.kwargs(matrix_world).items() if name in params})


def body_of(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    return content.decode("utf-8", errors="replace")


def snapshot_models() -> list[type[Any]]:
    """Every project model but the audit log: a refused write must leave each of them as it was."""
    return [
        model for model in apps.get_models()
        if (model._meta.app_config.name.startswith("umbrella.") or model._meta.app_config.name == "rest_framework.authtoken")
        and model._meta.app_config.name != "umbrella.audit"
    ]


def table_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every project table but the audit log, to prove a refused write changed nothing."""
    rows = {}
    for model in snapshot_models():
        columns = [field.attname for field in model._meta.concrete_fields]
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*columns))
    return rows


SNAPSHOT_TABLES = {model._meta.db_table.lower() for model in snapshot_models()}
WRITE_STATEMENT = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?', re.IGNORECASE)


def tables_written(queries: CaptureQueriesContext) -> set[str]:
    """The snapshotted tables that an INSERT, UPDATE or DELETE named while capturing. Rows change
    only through such a statement, so when this is empty nothing changed and no snapshot is needed."""
    named = {match.group(1).lower() for query in queries.captured_queries if (match := WRITE_STATEMENT.match(query["sql"]))}
    return named & SNAPSHOT_TABLES


def is_api(key: str) -> bool:
    """The API's own URLs, and each app's endpoints under /api/v1/ (namespaces ending "-api")."""
    return key.startswith("api:") or key.split(":", 1)[0].endswith("-api")


def send_write(client: Client, case: Case, address: str) -> HttpResponseBase:
    method = getattr(client, case.expect.method)
    if is_api(case.key):
        return method(address, data="{}", content_type="application/json")  # type: ignore[no-any-return]
    return method(address, data={})  # type: ignore[no-any-return]


def leaks(case: Case, body: str, matrix_world: MatrixWorld) -> list[str]:
    if case.persona in CENTRE_RECORD_READERS:
        return []
    allowed = case.expect.may_see.get(case.persona, frozenset())
    secrets = matrix_world.secrets_of_centre_record()
    return [f"{part} {value!r}" for part, value in secrets.items() if part not in allowed and value in body]


ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
# Pages about the code lists themselves show each code: that is what they are for.
SHOWS_CODES = ("reference:",)


class _VisibleText(HTMLParser):
    """The text a person reads on a page: not scripts, styles, attribute values or <code>."""

    HIDDEN = frozenset({"script", "style", "code", "pre", "textarea", "head"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def raw_values(case: Case, response: HttpResponseBase, body: str) -> list[str]:
    """ISO dates and reference codes ("E09000033", "anti_black") a page shows people."""
    if case.key.startswith(SHOWS_CODES) or "text/html" not in response.get("Content-Type", ""):
        return []
    reader = _VisibleText()
    reader.feed(body)
    text = " ".join(reader.parts)
    words = set(re.findall(r"[\w-]+", text))
    return sorted({m.group(0) for m in ISO_DATE.finditer(text)} | (words & _codes_people_should_not_see()))


@functools.cache
def _codes_people_should_not_see() -> frozenset[str]:
    from umbrella.reference.models import Code

    return frozenset(code for code in Code.objects.values_list("code", flat=True)
                     if "_" in code or re.fullmatch(r"[EW]0\d{7}", code))


@pytest.mark.parametrize("case", CASES, ids=[case.test_id for case in CASES])
def test_persona_gets_what_the_matrix_expects(case: Case, matrix_world: MatrixWorld, settings: Any) -> None:
    if case.key == STATIC_KEY:
        # Production serves collected files; here WhiteNoise finds them in the source tree.
        settings.WHITENOISE_USE_FINDERS = True
        settings.WHITENOISE_AUTOREFRESH = True
    client = matrix_world.signed_in_client(case.persona)
    if case.expect.arrange is not None:
        case.expect.arrange(matrix_world)
    address = address_of(case, matrix_world)
    problems: list[str] = []

    response: HttpResponseBase = client.get(address)
    got = classify(response)
    expected = case.expect.get[case.persona]
    if not matches(expected, got):
        problems.append(f"GET {address} as {case.persona}: got {got} ({response.status_code}), expected {expected}")
    body = body_of(response)
    leaked = leaks(case, body, matrix_world)
    if leaked:
        problems.append(f"GET {address} as {case.persona} shows the centre's unshared record: {leaked}")
    shown_raw = raw_values(case, response, body) if got is Outcome.OK else []
    if shown_raw:
        problems.append(f"GET {address} as {case.persona} shows people codes or ISO dates: {shown_raw}")
    if case.persona in case.expect.reveals and got is Outcome.OK and matrix_world.centre_record.reference not in body:
        problems.append(f"GET {address} as {case.persona} does not show the centre's own record")

    write_expected = case.expect.write[case.persona] if case.expect.write is not None else Outcome.REFUSED
    # Only a write expected to be refused is checked for changes; one accepted by mistake fails on
    # its status anyway. The write statements it sent are captured: with none on a project table,
    # nothing changed. With some, the tables after it are compared with the tables as they were,
    # recovered by rolling back to a savepoint taken just before it.
    check_unchanged = write_expected in REFUSALS or write_expected is Outcome.REFUSED
    before_write = transaction.savepoint() if check_unchanged else None
    with CaptureQueriesContext(connection) as queries:
        response = send_write(client, case, address)
    got = classify(response)
    verb = case.expect.method.upper()
    if not matches(write_expected, got):
        problems.append(
            f"{verb} {address} as {case.persona}: got {got} ({response.status_code}), expected {write_expected}"
        )
    leaked = leaks(case, body_of(response), matrix_world)
    if leaked:
        problems.append(f"{verb} {address} as {case.persona} shows the centre's unshared record: {leaked}")
    if got in REFUSALS and before_write is not None and tables_written(queries):
        after = table_rows()
        transaction.savepoint_rollback(before_write)
        before = table_rows()
        changed = sorted(label for label in after if after[label] != before.get(label))
        if changed:
            problems.append(f"{verb} {address} as {case.persona} was refused ({got}) but changed: {changed}")

    assert not problems, "\n".join(problems)


TOKEN_CASES = [case for case in CASES if is_api(case.key) and case.persona in {"officer", "caseworker", "analyst"}]


@pytest.mark.parametrize("case", TOKEN_CASES, ids=[case.test_id for case in TOKEN_CASES])
def test_api_token_gets_what_the_session_gets(case: Case, matrix_world: MatrixWorld) -> None:
    """The API's other way in (a token, no session) is scoped exactly like the session."""
    from umbrella.accounts.models import ApiToken
    from umbrella.accounts.services import api_token_issue

    user = matrix_world.persona(case.persona)
    assert user is not None
    key = api_token_issue(user=user, rotate=ApiToken.objects.filter(user=user).exists(), scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    if case.expect.arrange is not None:
        case.expect.arrange(matrix_world)
    address = address_of(case, matrix_world)
    response = client.get(address)
    expected = case.expect.get[case.persona]
    assert matches(expected, classify(response)), f"GET {address}: got {response.status_code}, expected {expected}"
    leaked = leaks(case, body_of(response), matrix_world)
    assert not leaked, f"GET {address} with {case.persona}'s token shows the centre's unshared record: {leaked}"


def test_a_change_made_by_a_write_is_seen(matrix_world: MatrixWorld) -> None:
    """The check that a refused write changed nothing can fail: an UPDATE is captured, and the
    savepoint comparison names the table it changed (and only it)."""
    before_write = transaction.savepoint()
    with CaptureQueriesContext(connection) as queries:
        Record.objects.filter(pk=matrix_world.force_record.pk).update(narrative="changed")
    assert Record._meta.db_table.lower() in tables_written(queries)
    after = table_rows()
    transaction.savepoint_rollback(before_write)
    before = table_rows()
    assert sorted(label for label in after if after[label] != before.get(label)) == [Record._meta.label]


def test_reads_write_nothing_the_check_looks_at(matrix_world: MatrixWorld) -> None:
    with CaptureQueriesContext(connection) as queries:
        list(Record.objects.all())
    assert tables_written(queries) == set()
