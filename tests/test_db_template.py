"""The SQLite test database template (tests/db_template): migrated once, remade whenever anything a
migration depends on changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.db_template import creation


def test_every_migration_and_the_project_modules_migrations_import_decide_the_key() -> None:
    inputs = {path.relative_to(creation.ROOT).as_posix() for path in creation._inputs()}
    migrations = {path.relative_to(creation.ROOT).as_posix() for path in creation.ROOT.glob("umbrella/*/migrations/*.py")}
    assert migrations and migrations <= inputs
    # Data migrations seal old values with these (umbrella/cases/migrations/0004, 0006...).
    assert {"umbrella/crypto/fields.py", "umbrella/cases/services.py"} <= inputs
    assert "umbrella/settings/test.py" in inputs


def test_changing_any_input_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    migration = tmp_path / "0001_initial.py"
    migration.write_text("operations = []\n", encoding="utf-8")
    monkeypatch.setattr(creation, "ROOT", tmp_path)
    monkeypatch.setattr(creation, "_inputs", lambda: [migration])
    before = creation.template_key()
    assert creation.template_key() == before
    migration.write_text("operations = ['a change']\n", encoding="utf-8")
    assert creation.template_key() != before


def test_it_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMBRELLA_TEST_DB_TEMPLATE", "off")
    assert not creation.template_enabled()
    monkeypatch.setenv("UMBRELLA_TEST_DB_TEMPLATE", "on")
    assert creation.template_enabled()
