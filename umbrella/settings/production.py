"""Production: PostgreSQL, real secrets from the environment, hardened transport.

Starting without DJANGO_SECRET_KEY, UMBRELLA_MASTER_KEYS, UMBRELLA_ACTIVE_MASTER_KEY_ID,
UMBRELLA_BLIND_INDEX_KEY, UMBRELLA_AUDIT_CHAIN_KEY or DATABASE_URL raises ImproperlyConfigured.
"""

from __future__ import annotations

from umbrella.settings.base import *  # noqa: F403
from umbrella.settings.env import env_bool, env_int, env_required

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
UMBRELLA_MASTER_KEYS = env_required("UMBRELLA_MASTER_KEYS")
UMBRELLA_ACTIVE_MASTER_KEY_ID = env_required("UMBRELLA_ACTIVE_MASTER_KEY_ID")
UMBRELLA_BLIND_INDEX_KEY = env_required("UMBRELLA_BLIND_INDEX_KEY")
UMBRELLA_AUDIT_CHAIN_KEY = env_required("UMBRELLA_AUDIT_CHAIN_KEY")
env_required("DATABASE_URL")

SECURE_SSL_REDIRECT = env_bool("UMBRELLA_SSL_REDIRECT", True)
# The platform's probes ask over plain http inside the deployment (deploy/entrypoint.sh healthcheck).
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("UMBRELLA_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
