"""Embedded demo: SQLite under var/, in-process tasks, console email, demo keys.

The demo keys below exist only here. Production refuses to start without real ones.
"""

from __future__ import annotations

import os

from umbrella.settings.base import *  # noqa: F403
from umbrella.settings.env import env_str

DEBUG = False
UMBRELLA_DEMO_MODE = True
# The demo's personas share one printed password and nobody's phone: two-factor sign-in is there to
# try ("Two-factor sign-in" beside "Sign out"), not required. Production requires it of administrators.
UMBRELLA_TWO_FACTOR_ROLES = ()
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "demo-only-secret-key-not-for-production-use-0123456789")
UMBRELLA_MASTER_KEYS = (
    os.environ.get("UMBRELLA_MASTER_KEYS")
    or "demo1:ZGVtby1tYXN0ZXIta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="
)
UMBRELLA_ACTIVE_MASTER_KEY_ID = os.environ.get("UMBRELLA_ACTIVE_MASTER_KEY_ID") or "demo1"
UMBRELLA_BLIND_INDEX_KEY = (
    os.environ.get("UMBRELLA_BLIND_INDEX_KEY") or "demo-blind-index-key-not-for-production"
)
UMBRELLA_AUDIT_CHAIN_KEY = os.environ.get("UMBRELLA_AUDIT_CHAIN_KEY") or "demo-audit-chain-key-not-for-production"
# The demo's backups are sealed with a published key: a demo holds no one's data.
UMBRELLA_BACKUP_KEY = os.environ.get("UMBRELLA_BACKUP_KEY") or "ZGVtby1iYWNrdXAta2V5LW5vdC1mb3ItcHJvZC11c2U="
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
