"""``python -m tests.db_template.build``: makes the migrated template the test databases are copied
from (SQLite: var/test-db/; PostgreSQL, when DATABASE_URL names one: a template database), so that
`make test` can migrate beside the lint and the checks instead of in every pass's first tests."""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "umbrella.settings.test")
    import django

    django.setup()
    from django.db import connection

    original = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, serialize=False)
    connection.creation.destroy_test_db(original, verbosity=0)
    print(f"Test database template ready ({connection.vendor}: {name}).")


if __name__ == "__main__":
    main()
