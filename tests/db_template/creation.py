"""Test databases copied from a migrated template instead of migrated each time.

Migrating a new SQLite database takes about 10 s here, nearly all of it Django rendering model
states, and every test process (each xdist worker, each pass, each run of one test file) did it
again. The first process to migrate saves the result as ``var/test-db/<key>.sqlite3``; later ones
copy it into their in-memory database with SQLite's backup API, which takes milliseconds.

The key covers everything the migrated database depends on: every migration file, the project
modules migrations import, the settings, this file, and the Django and SQLite versions. Change any
of them and the next run migrates afresh. ``UMBRELLA_TEST_DB_TEMPLATE=off`` always migrates.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "var" / "test-db"
IMPORTED = re.compile(r"^\s*(?:from|import)\s+(umbrella(?:\.\w+)*)", re.MULTILINE)


def _inputs() -> list[Path]:
    """Every file whose content decides what migrating produces, in a fixed order."""
    migrations = sorted(ROOT.glob("umbrella/*/migrations/*.py"))
    modules: set[Path] = set()
    for path in migrations:
        for name in IMPORTED.findall(path.read_text(encoding="utf-8")):
            module = ROOT.joinpath(*name.split("."))
            for candidate in (module.with_suffix(".py"), module / "__init__.py"):
                if candidate.is_file():
                    modules.add(candidate)
    settings_files = sorted(ROOT.glob("umbrella/settings/*.py"))
    return [*migrations, *sorted(modules), *settings_files, Path(__file__)]


def template_key() -> str:
    digest = hashlib.sha256(f"{django.__version__}|{sqlite3.sqlite_version}".encode())
    for path in _inputs():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def template_enabled() -> bool:
    return os.environ.get("UMBRELLA_TEST_DB_TEMPLATE", "on").lower() not in {"off", "0", "false", "no"}


class TemplateCreation(DatabaseCreation):
    def create_test_db(
        self, verbosity: int = 1, autoclobber: bool = False, serialize: bool = True, keepdb: bool = False
    ) -> str:
        name = self._get_test_db_name()
        if keepdb or not self.is_in_memory_db(name) or not template_enabled():
            return str(super().create_test_db(verbosity, autoclobber, serialize, keepdb))
        template = TEMPLATE_DIR / f"{template_key()}.sqlite3"
        if not template.is_file():
            created = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
            self._save(template)
            return str(created)
        if verbosity >= 1:
            self.log(f"Copying the migrated test database for alias {self.connection.alias!r} from {template.name}...")
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(self._raw_connection())
        finally:
            source.close()
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        return name

    def _raw_connection(self) -> Any:
        return self.connection.connection

    def _save(self, template: Path) -> None:
        """Writes the template beside a temporary name and renames it, so a process that reads it
        never sees half a file; older templates go."""
        TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
        partial = template.with_name(f"{template.stem}.{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            self._raw_connection().backup(target)
        finally:
            target.close()
        os.replace(partial, template)
        for old in TEMPLATE_DIR.glob("*.sqlite3"):
            if old != template:
                old.unlink(missing_ok=True)
