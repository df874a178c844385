"""Settings shared by every environment. Everything secret comes from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from umbrella.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = False
ALLOWED_HOSTS = env_list("UMBRELLA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "umbrella.core",
    "umbrella.agencies",
    "umbrella.accounts",
    "umbrella.audit",
    "umbrella.audit_search",
    "umbrella.administration",
    "umbrella.crypto",
    "umbrella.reference",
    "umbrella.cases",
    "umbrella.sharing",
    "umbrella.imports",
    "umbrella.consent",
    "umbrella.intake",
    "umbrella.reporting",
    "umbrella.indicators",
    "umbrella.screening",
    "umbrella.review",
    "umbrella.risk",
    "umbrella.outcomes",
    "umbrella.statistics",
    "umbrella.scrutiny",
    "umbrella.tension",
    "umbrella.intelligence",
    "umbrella.conferences",
    "umbrella.care",
    "umbrella.api",
    "umbrella.web",
    "umbrella.backups",
    "umbrella.retention",
    "umbrella.subject_access",
    "umbrella.demo",
]

# Two-factor sign-in (umbrella/accounts/two_factor.py): the name authenticator apps show, and the
# roles that must always sign in with a code (an organisation can require it of every account).
OTP_TOTP_ISSUER = "Umbrella"
UMBRELLA_TWO_FACTOR_ROLES: tuple[str, ...] = ("system_admin", "org_admin")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "umbrella.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "umbrella.core.middleware.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "umbrella.accounts.middleware.IdleTimeoutMiddleware",
    "umbrella.accounts.middleware.TwoFactorRequiredMiddleware",
    "umbrella.core.middleware.ActorContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and images only
# from this site (GOV.UK Frontend and htmx are served locally; no inline script or style anywhere,
# htmx told not to add its indicator style), no framing, forms only to this site.
# Passkeys (umbrella.accounts.passkeys): a second factor only, for the host each request came to.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "Umbrella"
OTP_WEBAUTHN_RP_ID_CALLABLE = "umbrella.accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "umbrella.accounts.passkeys.PasskeyHelper"
# The helper expects the origin the request came to (its host already checked against
# ALLOWED_HOSTS); the package's own check wants the list named as well.
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    },
}

ROOT_URLCONF = "umbrella.urls"
WSGI_APPLICATION = "umbrella.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "umbrella" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "umbrella.web.context_processors.service",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'umbrella.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db) or _default_db, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a writer commits; IMMEDIATE avoids lock upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "cases:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in protection.
UMBRELLA_MAX_FAILED_SIGN_INS = env_int("UMBRELLA_MAX_FAILED_SIGN_INS", 5)
UMBRELLA_LOCKOUT_MINUTES = env_int("UMBRELLA_LOCKOUT_MINUTES", 15)
# Sign-in attempts one address may make in an hour, whatever the usernames: stops one machine
# guessing passwords across accounts, or locking everyone out by failing on purpose.
UMBRELLA_SIGN_IN_ATTEMPTS_PER_ADDRESS = env_int("UMBRELLA_SIGN_IN_ATTEMPTS_PER_ADDRESS", 60)
# Whether analysts' (pseudonymised) exports carry the narrative, masked of names: off unless
# their work needs it (thematic reading); the day, postcode district and areas are always there.
UMBRELLA_PSEUDONYMISED_EXPORT_NARRATIVE = env_bool("UMBRELLA_PSEUDONYMISED_EXPORT_NARRATIVE", False)
# The load balancers or reverse proxies in front of Umbrella (addresses or networks, comma-separated):
# behind them the client's address comes from X-Forwarded-For, for rate limits and the audit log.
UMBRELLA_TRUSTED_PROXIES = env_list("UMBRELLA_TRUSTED_PROXIES", [])
UMBRELLA_IDLE_TIMEOUT_MINUTES = env_int("UMBRELLA_IDLE_TIMEOUT_MINUTES", 30)
# How long a closed subject request keeps what the requester gave and who they were found to be
# (`umbrella subject-access dispose-closed`, daily). No official period: an editable default, long
# enough to answer a complaint to the ICO about how the request was handled.
UMBRELLA_SUBJECT_REQUEST_KEEP_MONTHS = env_int("UMBRELLA_SUBJECT_REQUEST_KEEP_MONTHS", 24)
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
# Names in each language's own words, as the language switcher shows them. Arabic and Urdu are
# right-to-left (Django's LANGUAGES_BIDI). All but English and Welsh are machine-drafted and marked
# for native review in their .po files.
LANGUAGES = [
    ("en", "English"),
    ("cy", "Cymraeg"),
    ("pl", "Polski"),
    ("bn", "বাংলা"),
    ("ur", "اردو"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("so", "Soomaali"),
]
LOCALE_PATHS = [BASE_DIR / "umbrella" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Evidence uploaded with reports: outside the web root, each file encrypted with the receiving
# organisation's key (umbrella.intake).
UMBRELLA_EVIDENCE_ROOT = Path(env_str("UMBRELLA_EVIDENCE_ROOT") or VAR_DIR / "evidence")
# Seals backups (umbrella.backups): 32 random bytes, base64; kept apart from the backups themselves.
UMBRELLA_BACKUP_KEY = env_str("UMBRELLA_BACKUP_KEY", "") or ""
# Request size limits: the report journey takes at most a few evidence files of a few MB each.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "umbrella" / "static", BASE_DIR / "var" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Field encryption: a keyring of master keys ("id:base64key,id:base64key") wraps each
# organisation's data key. The first id in UMBRELLA_ACTIVE_MASTER_KEY_ID wraps new keys.
UMBRELLA_MASTER_KEYS = env_str("UMBRELLA_MASTER_KEYS", "") or ""
UMBRELLA_ACTIVE_MASTER_KEY_ID = env_str("UMBRELLA_ACTIVE_MASTER_KEY_ID", "") or ""
# Keyed HMAC for blind indexes (exact matching without decrypting). Global so repeat-victim
# indicators can cross organisations without revealing records.
UMBRELLA_BLIND_INDEX_KEY = env_str("UMBRELLA_BLIND_INDEX_KEY", "") or ""
# Keys the audit chain (HMAC): someone with the database but not this key cannot recompute the
# hashes after editing or deleting events. Never stored in the database.
UMBRELLA_AUDIT_CHAIN_KEY = env_str("UMBRELLA_AUDIT_CHAIN_KEY", "") or ""
# Events up to this id were written before the chain was keyed (plain SHA-256); verify accepts
# that older form only up to here. From the environment, so nobody can move it from the database.
UMBRELLA_AUDIT_UNKEYED_UNTIL = env_int("UMBRELLA_AUDIT_UNKEYED_UNTIL", 0)
# Decrypting personal data outside a declared read scope (umbrella.core.reads) raises when True
# (the test settings); otherwise it is logged.
UMBRELLA_REQUIRE_READ_SCOPE = False
# Where `umbrella audit checkpoint` writes signed heads of the chain (outside the database, so a
# deleted tail is seen by `umbrella audit verify`). Empty: no checkpoints.
UMBRELLA_AUDIT_CHECKPOINT_DIR = env_str("UMBRELLA_AUDIT_CHECKPOINT_DIR", "") or ""

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "umbrella@localhost")
# Seconds before a mail server that does not answer is given up on (the task is retried later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# API tokens expire after this many days (`umbrella api-token USER --rotate` issues a new one).
UMBRELLA_API_TOKEN_DAYS = env_int("UMBRELLA_API_TOKEN_DAYS", 90)

# Open data: counts from 1 to this minus one are suppressed (published in every release's metadata).
UMBRELLA_OPEN_DATA_THRESHOLD = env_int("UMBRELLA_OPEN_DATA_THRESHOLD", 10)

# Where "Exit this page" sends someone: an ordinary, unremarkable site (a centre may prefer a local
# one). Tests point it at the live server, because browsers do not let a test stub a redirect.
UMBRELLA_QUICK_EXIT_URL = env_str("UMBRELLA_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather") or "https://www.bbc.co.uk/weather"

REST_FRAMEWORK = {
    # Token first: an anonymous call is then answered 401 with a WWW-Authenticate challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "umbrella.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: no browsable HTML API (it would render record forms), no form bodies (415).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "umbrella.core.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Umbrella API",
    "DESCRIPTION": "Record, find and update hate incidents and hate crimes. Every call is scoped to the signed-in user and audited.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema describes shapes, never data, so it is public (clients need it before a token).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Two choice sets share the field name "kind": name the hearing's so neither gets a hashed name.
    "ENUM_NAME_OVERRIDES": {
        "HearingKindEnum": "umbrella.outcomes.models.HearingKind", "KindEnum": "umbrella.cases.models.RecordKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "umbrella.core.logging.RedactPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "umbrella.core.logging.JsonFormatter"},
    },
    "handlers": {
        # UMBRELLA_LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request id).
        "console": {"class": "logging.StreamHandler", "filters": ["redact"],
                    "formatter": "json" if env_str("UMBRELLA_LOG_FORMAT", "") == "json" else "plain"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Django's request logger would print request paths and bodies; keep it to warnings.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

UMBRELLA_DEMO_MODE = False
UMBRELLA_SERVICE_NAME = "Umbrella"
