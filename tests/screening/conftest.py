from __future__ import annotations

from collections.abc import Iterator

import pytest

from umbrella.screening import selectors


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> Iterator[None]:
    selectors.clear_cache()
    yield
    selectors.clear_cache()


@pytest.fixture(autouse=True)
def _indicators_without_tables(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the indicators app has no migrations yet, use its built-in rule set (no database)."""
    from django.db import connection

    from umbrella.indicators import matching

    uses_db = request.node.get_closest_marker("django_db") is not None or "db" in request.fixturenames
    if not uses_db:
        return
    if "indicators_ruleset" not in connection.introspection.table_names():
        monkeypatch.setattr(matching, "active_matcher", matching.builtin_matcher)
