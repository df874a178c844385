"""Django's SQLite backend with ``creation.TemplateCreation`` making the test databases."""

from __future__ import annotations

from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper

from tests.db_template.creation import TemplateCreation


class DatabaseWrapper(SQLiteDatabaseWrapper):
    creation_class = TemplateCreation
