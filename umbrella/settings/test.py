"""Test settings: fast hashing, immediate tasks, in-memory email, fixed test keys."""

from __future__ import annotations

from umbrella.settings.demo import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
UMBRELLA_MASTER_KEYS = (
    "test1:dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmcxMjM=,"
    "test2:c2Vjb25kLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE="
)
UMBRELLA_ACTIVE_MASTER_KEY_ID = "test1"
UMBRELLA_BLIND_INDEX_KEY = "test-blind-index-key"
UMBRELLA_AUDIT_CHAIN_KEY = "test-audit-chain-key"
UMBRELLA_BACKUP_KEY = "dGVzdC1iYWNrdXAta2V5LTMyLWJ5dGVzLWxvbmchISE="
# Decrypting personal data outside a declared read scope raises (umbrella.core.reads), so the
# suite finds any path that would read it unaudited.
UMBRELLA_REQUIRE_READ_SCOPE = True
# WhiteNoise scans STATIC_ROOT whenever a middleware chain is built, which the test client does
# once per client (several thousand times a run); with autorefresh it finds a file when asked.
WHITENOISE_AUTOREFRESH = True

# Test databases on SQLite are copied from one migrated template (tests/db_template): migrating
# takes about 10 s a process, copying milliseconds.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.db_template"  # noqa: F405
    # In memory, named so: pytest-django gives each xdist worker a file name otherwise, as it does
    # for any engine it does not know to be SQLite.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# On PostgreSQL, each test database is cloned from one migrated template database
# (tests/db_template/postgresql): migrating takes 11 to 15 s a process, cloning about one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.db_template.postgresql"  # noqa: F405
