"""Django's PostgreSQL backend with ``creation.PostgresTemplateCreation`` making the test databases."""

from __future__ import annotations

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper

from tests.db_template.postgresql.creation import PostgresTemplateCreation


class DatabaseWrapper(PostgresDatabaseWrapper):
    creation_class = PostgresTemplateCreation
