"""PostgreSQL test databases cloned from a migrated template database.

Migrating a new PostgreSQL test database takes 11 to 15 s here, and every xdist worker of every
run did it. The first process to migrate keeps the result as the database
``umbrella_tpl_<key>`` (``CREATE DATABASE … TEMPLATE`` the fresh test database); later ones
create theirs from it, which takes about a second. The key is the SQLite template's
(``tests.db_template.creation.template_key``: every migration, what they import, the settings,
Django's version), so any change migrates afresh; older templates are dropped.
``UMBRELLA_TEST_DB_TEMPLATE=off`` always migrates.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.postgresql.creation import DatabaseCreation

from tests.db_template.creation import template_enabled, template_key

PREFIX = "umbrella_tpl_"


class PostgresTemplateCreation(DatabaseCreation):
    def create_test_db(
        self, verbosity: int = 1, autoclobber: bool = False, serialize: bool = True, keepdb: bool = False
    ) -> str:
        if keepdb or not template_enabled():
            return str(super().create_test_db(verbosity, autoclobber, serialize, keepdb))
        template = f"{PREFIX}{template_key()}"
        with self._nodb_cursor() as cursor:
            ready = self._database_exists(cursor, template)
        if not ready:
            created = str(super().create_test_db(verbosity, autoclobber, serialize, keepdb))
            self._save(template, created)
            return created
        name = self._get_test_db_name()
        if verbosity >= 1:
            self.log(f"Cloning the test database for alias {self.connection.alias!r} from {template}...")
        self.connection.close()
        self.connection.close_pool()
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {self._quote_name(name)}")
            cursor.execute(f"CREATE DATABASE {self._quote_name(name)} TEMPLATE {self._quote_name(template)}")
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        self.connection.ensure_connection()
        return name

    def _save(self, template: str, source: str) -> None:
        """Keeps the freshly migrated test database as the template (another worker may have kept
        its own first: that one stands); older templates go when nobody is using them."""
        from django.db import DatabaseError

        self.connection.close()
        self.connection.close_pool()
        with self._nodb_cursor() as cursor:
            try:
                cursor.execute(f"CREATE DATABASE {self._quote_name(template)} TEMPLATE {self._quote_name(source)}")
            except DatabaseError:
                return  # made by another worker meanwhile, or the source is busy: migrate next time
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                           [f"{PREFIX}%", template])
            for (old,) in cursor.fetchall():
                try:
                    cursor.execute(f"DROP DATABASE {self._quote_name(old)}")
                except DatabaseError:
                    pass  # in use by another run: it goes next time

    def _quote_name(self, name: Any) -> str:
        return str(self.connection.ops.quote_name(name))
