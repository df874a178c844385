"""Settings for benchmark runs: the test settings (fixed demo keys, fast hashing) on a bench database.

The database comes from ``BENCH_DATABASE_URL``; without it, a SQLite file under ``var/bench/``.
Never point this at a database holding real data: ``bench.run`` drops and recreates it.
"""

from __future__ import annotations

import os

import dj_database_url

from umbrella.settings.test import *  # noqa: F403
from umbrella.settings.test import VAR_DIR

BENCH_DIR = VAR_DIR / "bench"
_default = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("BENCH_DATABASE_URL") or _default, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same connection options as the embedded deployment, so timings reflect it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# The Django test client talks to "testserver".
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Real storage backends as in the demo, but no compression work at request time.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Timings should not include writing INFO lines to a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
