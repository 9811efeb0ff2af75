"""Settings, all from environment variables, with embedded defaults that need no server.

Without ``DATABASE_URL`` the portal uses SQLite under ``var/``; without ``CELERY_BROKER_URL`` it uses
kombu's filesystem transport under ``var/``, which a separate worker process consumes; without
``CACHE_URL`` the cache (allauth's rate limits, used TOTP codes) is a database table that every process
shares; without ``EMAIL_HOST`` emails are printed on the console. The README lists every variable and the
production set that passes ``manage.py check --deploy``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal.local_secrets import secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = secret("DJANGO_SECRET_KEY", VAR_DIR)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "portal",
    "onboarding",
    "payments",
    "sanctions",
]

MIDDLEWARE = [
    "onboarding.api.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "onboarding.staff_security.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is given, else SQLite under var/ tuned so web, worker and
# beat never meet "database is locked" (immediate transactions, WAL, a busy timeout).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": VAR_DIR / "test-portal.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """Redis when ``CACHE_URL`` is given; otherwise a database table, which web, worker and beat share."""
    if not url:
        # MAX_ENTRIES is high so that a flood of keys (say, failed logins from many addresses) cannot cull
        # the counters of the rate limits; expired rows are removed as the table is written.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        # A Redis that does not answer fails a request quickly instead of holding it.
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// URL (or unset for the database).")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "merchant-home"
LOGOUT_REDIRECT_URL = "account_login"
AUTHENTICATION_BACKENDS = [
    # The admin's own login form asks for a user name, which is the email address (see onboarding.accounts).
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): merchants sign up and sign in with their email address. User.username is
# kept equal to the primary address by onboarding.accounts.AccountAdapter, so addresses are limited to
# what the username column holds (150). Verification is optional for signing in and filling in an
# application, required for submitting it (onboarding.accounts.require_verified_email).
ACCOUNT_ADAPTER = "onboarding.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_MAX_LENGTH = 150
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WalletBoard] "
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# How long a sign-in or a confirmed password counts as recent for onboarding.accounts.recent_login_required
# and for allauth's own sensitive pages (adding an authenticator, changing the email address).
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ACCOUNT_REAUTHENTICATION_TIMEOUT", 300)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env_bool("SECURE_SSL_REDIRECT", False) else "http"
# allauth's rate limits (its defaults: 30 logins a minute per IP, 20 sign-ups, 20 password resets, ...)
# are counted in the shared cache below, never per process. Failed logins: 10 a minute from one IP address,
# and 5 for one email address within 5 minutes.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_ADAPTER = "onboarding.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WalletBoard"
# Staff (is_staff) always sign in with an authenticator code and are signed out after this many idle seconds
# (onboarding.staff_security); merchants keep SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)

# Languages: English and Simplified Chinese. The visitor's choice lives in the language cookie; a signed-in
# merchant's also on their account (onboarding.models.UserPreference), applied at every sign-in.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Documents (identity scans, bank letters) live outside any public path and are encrypted.
    "default": {
        "BACKEND": "onboarding.storage.EncryptedFileSystemStorage",
        "OPTIONS": {"location": os.environ.get("DOCUMENT_STORAGE_DIR", str(VAR_DIR / "documents"))},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)

# Email (verification, password reset, security notices): SMTP when EMAIL_HOST is set, else printed on
# the console of the web process (the embedded default). The test suite uses Django's outbox.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10  # a slow mail server must not hold a sign-up for long
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WalletBoard <no-reply@walletboard.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the links in emails to merchants lead (the emails are sent by workers, outside any request).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A hosted onboarding link (a partner's invitation to finish an application) expires this many minutes after
# it is made, and can be opened once (docs/onboarding_links.md).
ONBOARDING_LINK_MINUTES = env_int("ONBOARDING_LINK_MINUTES", 15)
if not 1 <= ONBOARDING_LINK_MINUTES <= 24 * 60:
    raise ImproperlyConfigured("ONBOARDING_LINK_MINUTES must be from 1 to 1440.")

# Security: production values by default; the embedded default runs on http://127.0.0.1 only.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Personal data: a key list (newest first) for encryption at rest, and separate keys for the blind
# indexes and the screening hashes, which key rotation never touches.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [secret("FIELD_ENCRYPTION_KEYS", VAR_DIR)]
BLIND_INDEX_KEY = secret("BLIND_INDEX_KEY", VAR_DIR)
SCREENING_HASH_KEY = secret("SCREENING_HASH_KEY", VAR_DIR)

# Celery: at-least-once delivery. Work that must happen is also recorded in the database (the
# application's state and next-attempt time), and a beat sweeper re-publishes what is overdue.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_SOCKET_TIMEOUT = float(os.environ.get("BROKER_SOCKET_TIMEOUT", "2"))
# After a failed publish, a web process leaves publishing to the sweeper for this long.
BROKER_PUBLISH_PAUSE_SECONDS = env_int("BROKER_PUBLISH_PAUSE_SECONDS", 15)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Talking to the broker never blocks a request for long: every connection has a connect and a
    # socket timeout (a broker that accepts and never answers is given up on), and publishing is not
    # retried in a request, because owed work is recorded in the database and the sweeper publishes it.
    # The visibility timeout stays above the longest countdown we use, else Redis redelivers a waiting task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        "max_retries": 1,
        # Redis reads the socket_* options, py-amqp the *_timeout ones; each transport ignores the others.
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
        "read_timeout": BROKER_SOCKET_TIMEOUT,
        "write_timeout": BROKER_SOCKET_TIMEOUT,
    }
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "portal")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
# No result backend: tasks report through the database (their owed work and events), never results.
CELERY_RESULT_BACKEND = None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fix-up closes the database connection around every task unless told to reuse it: a new
# PostgreSQL connection per task took 15% of the boarding benchmark's worker time. Workers close their
# connections as Django does around a request instead (portal/celery.py: CONN_MAX_AGE, health checks).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-work": {
        "task": "onboarding.tasks.sweep_pending_work",
        "schedule": timedelta(seconds=env_int("SWEEP_INTERVAL_SECONDS", 30)),
    },
    "expire-info-requests": {
        "task": "onboarding.tasks.expire_info_requests",
        "schedule": timedelta(hours=1),
    },
    "purge-partner-records": {
        "task": "onboarding.tasks.purge_partner_records",
        "schedule": timedelta(hours=1),
    },
}

# Owed work is re-published when it has waited this long without being done, with a growing back-off;
# after OWED_WORK_MAX_ATTEMPTS publications it needs attention (listed in the admin).
PENDING_WORK_GRACE_SECONDS = env_int("PENDING_WORK_GRACE_SECONDS", 60)
PENDING_WORK_MAX_BACKOFF_SECONDS = env_int("PENDING_WORK_MAX_BACKOFF_SECONDS", 3600)
OWED_WORK_MAX_ATTEMPTS = env_int("OWED_WORK_MAX_ATTEMPTS", 8)

# Webhooks to partners: a short timeout per request, exponential back-off between attempts (base × 2^n,
# capped), retried for WEBHOOK_RETRY_DAYS; the events stay listed for catching up PARTNER_EVENTS_DAYS.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Partners' webhook URLs may lead to loopback or private addresses only on a laptop or in the tests.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "60"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", str(6 * 3600)))
WEBHOOK_RETRY_DAYS = float(os.environ.get("WEBHOOK_RETRY_DAYS", "3"))
PARTNER_EVENTS_DAYS = env_int("PARTNER_EVENTS_DAYS", 30)

# Business settings
INFO_REQUEST_EXPIRY_DAYS = env_int("INFO_REQUEST_EXPIRY_DAYS", 30)
# Submissions from one IP address (web) within the window before the velocity check asks for review;
# partners have their own hourly threshold on the partner record.
VELOCITY_WEB_MAX_PER_IP = env_int("VELOCITY_WEB_MAX_PER_IP", 3)
VELOCITY_WEB_WINDOW_MINUTES = env_int("VELOCITY_WEB_WINDOW_MINUTES", 60)

# Sanctions screening. Above SANCTIONS_MAX_AGE_DAYS the list is stale: the sanctions check records review
# instead of pass, so nothing is approved automatically against it. The refresh downloads OFAC's legacy
# CSV files (SDN files at the base, Consolidated files under consolidated/); 0 minutes switches it off.
SANCTIONS_MAX_AGE_DAYS = env_int("SANCTIONS_MAX_AGE_DAYS", 7)
SANCTIONS_SOURCE_URL = os.environ.get("SANCTIONS_SOURCE_URL", "https://www.treasury.gov/ofac/downloads/")
SANCTIONS_REFRESH_MINUTES = env_int("SANCTIONS_REFRESH_MINUTES", 0)
SANCTIONS_NEAR_MISS_THRESHOLD = float(os.environ.get("SANCTIONS_NEAR_MISS_THRESHOLD", "0.75"))
SANCTIONS_REVIEW_THRESHOLD = float(os.environ.get("SANCTIONS_REVIEW_THRESHOLD", "0.87"))
SANCTIONS_BLOCK_THRESHOLD = float(os.environ.get("SANCTIONS_BLOCK_THRESHOLD", "0.95"))
# A list version becomes active only when it is sane: each file keeps at least SANCTIONS_MIN_ROW_SHARE of
# the rows the active version had for it, and a first load holds at least SANCTIONS_MIN_PRIMARY_ROWS
# primary rows (OFAC's SDN list has held well over 8,000 for years); else the load is refused. A version
# that would remove more than SANCTIONS_MAX_REMOVAL_SHARE of the active entries is held for a senior officer.
SANCTIONS_MIN_ROW_SHARE = float(os.environ.get("SANCTIONS_MIN_ROW_SHARE", "0.9"))
SANCTIONS_MIN_PRIMARY_ROWS = env_int("SANCTIONS_MIN_PRIMARY_ROWS", 5000)
SANCTIONS_MAX_REMOVAL_SHARE = float(os.environ.get("SANCTIONS_MAX_REMOVAL_SHARE", "0.05"))
if SANCTIONS_REFRESH_MINUTES > 0:
    CELERY_BEAT_SCHEDULE["refresh-sanctions-lists"] = {
        "task": "sanctions.tasks.refresh_lists",
        "schedule": timedelta(minutes=SANCTIONS_REFRESH_MINUTES),
    }
DECISION_FUNCTION = os.environ.get("DECISION_FUNCTION", "onboarding.kyc.policy.decide")
EVENT_RETENTION_DAYS = env_int("EVENT_RETENTION_DAYS", 5 * 365)

# Acquirer: Stripe in production (ACQUIRER_API_BASE=https://api.stripe.com), the local acquirer
# (``manage.py local_acquirer``) by default. Live-mode applications use the live key and secret, test-mode
# ones (partner test keys) the test pair; on a laptop all four are generated under var/.
LOCAL_ACQUIRER_PORT = env_int("LOCAL_ACQUIRER_PORT", 12111)
ACQUIRER_API_BASE = os.environ.get("ACQUIRER_API_BASE", f"http://127.0.0.1:{LOCAL_ACQUIRER_PORT}")
STRIPE_API_KEY = secret("STRIPE_API_KEY", VAR_DIR)
STRIPE_TEST_API_KEY = secret("STRIPE_TEST_API_KEY", VAR_DIR)
STRIPE_WEBHOOK_SECRET = secret("STRIPE_WEBHOOK_SECRET", VAR_DIR)
STRIPE_TEST_WEBHOOK_SECRET = secret("STRIPE_TEST_WEBHOOK_SECRET", VAR_DIR)
# The local acquirer: its own SQLite file, where it delivers signed webhooks, how long its asynchronous
# verification takes, and the registration codes it accepts in live mode (test mode takes Stripe's
# simulated codes).
LOCAL_ACQUIRER_DB = os.environ.get("LOCAL_ACQUIRER_DB", str(VAR_DIR / "local-acquirer.sqlite3"))
LOCAL_ACQUIRER_WEBHOOK_URL = os.environ.get(
    "LOCAL_ACQUIRER_WEBHOOK_URL", f"http://127.0.0.1:{os.environ.get('PORTAL_PORT', '8000')}/webhooks/acquirer/"
)
LOCAL_ACQUIRER_VERIFICATION_SECONDS = float(os.environ.get("LOCAL_ACQUIRER_VERIFICATION_SECONDS", "3"))
LOCAL_ACQUIRER_LIVE_READER_CODES = env_list("LOCAL_ACQUIRER_LIVE_READER_CODES") or [
    "quartz-lotus-river", "amber-cedar-harbor", "jade-willow-summit",
]  # fmt: skip

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
    # The partner API (onboarding/api/): JSON only, one error shape, its schema from the code.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "onboarding.api.schema.PartnerAutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
DRF_STANDARDIZED_ERRORS = {"EXCEPTION_HANDLER_CLASS": "onboarding.api.errors.PartnerExceptionHandler"}
# Requests per key and minute, counted in the shared cache (CACHES) so every web process sees one count.
PARTNER_API_REQUESTS_PER_MINUTE = env_int("PARTNER_API_REQUESTS_PER_MINUTE", 600)
# An Idempotency-Key and its first answer are kept this long; a request holding a key that has not
# answered within PARTNER_API_IDEMPOTENCY_LOCK_SECONDS is taken to have died, and a retry may take over.
PARTNER_API_IDEMPOTENCY_HOURS = env_int("PARTNER_API_IDEMPOTENCY_HOURS", 24)
PARTNER_API_IDEMPOTENCY_LOCK_SECONDS = env_int("PARTNER_API_IDEMPOTENCY_LOCK_SECONDS", 60)
# The hourly purge (onboarding.services.partner_records_purge) deletes what the partner API no longer
# needs: idempotency keys older than IDEMPOTENCY_KEEP_HOURS (never before they stop being replayed),
# partner events past the catch-up window (PARTNER_EVENTS_DAYS) whose deliveries are all finished, and
# onboarding links ONBOARDING_LINK_KEEP_DAYS after they expired; PURGE_BATCH_SIZE rows per transaction.
IDEMPOTENCY_KEEP_HOURS = env_int("IDEMPOTENCY_KEEP_HOURS", 48)
SHORTEST_IDEMPOTENCY_KEEP_HOURS = max(24, PARTNER_API_IDEMPOTENCY_HOURS)
if IDEMPOTENCY_KEEP_HOURS < SHORTEST_IDEMPOTENCY_KEEP_HOURS:
    raise ImproperlyConfigured("IDEMPOTENCY_KEEP_HOURS must be at least 24 and at least PARTNER_API_IDEMPOTENCY_HOURS.")
ONBOARDING_LINK_KEEP_DAYS = env_int("ONBOARDING_LINK_KEEP_DAYS", 7)
if ONBOARDING_LINK_KEEP_DAYS < 1:
    raise ImproperlyConfigured("ONBOARDING_LINK_KEEP_DAYS must be at least 1.")
PURGE_BATCH_SIZE = env_int("PURGE_BATCH_SIZE", 500)
if PURGE_BATCH_SIZE < 1:
    raise ImproperlyConfigured("PURGE_BATCH_SIZE must be at least 1.")
SPECTACULAR_SETTINGS = {
    "TITLE": "WalletBoard partner API",
    "DESCRIPTION": (
        "Board merchants for Alipay and WeChat Pay from your own systems. Authenticate with "
        "`Authorization: Bearer sk_test_…` (test data) or `sk_live_…` (live data); send JSON; give every POST "
        'an `Idempotency-Key`. See the README\'s "Partner API" section for the conventions.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "onboarding.models.parties.Party.Kind",
        "DocumentKindEnum": "onboarding.models.documents.DocumentKind",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
}

# Logging: personal data never reaches a log line (services log public ids only).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No token of a hosted onboarding link reaches a log line (portal/log_redaction.py).
    "filters": {"link_tokens": {"()": "portal.log_redaction.RedactLinkTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["link_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The SDK logs every request's address at INFO; its DEBUG lines would carry request bodies.
    "loggers": {
        "stripe": {"level": "WARNING"},
        # runserver's access lines: through the filtered console instead of Django's own handler for them.
        "django.server": {"filters": ["link_tokens"]},
        # The path of every 4xx and 5xx answer, to whichever handler (a garbled link's 404 included).
        "django.request": {"filters": ["link_tokens"]},
    },
}

# Boarding with the acquirer. Calls are paced by one limiter that every worker shares (Redis at
# ACQUIRER_RATE_LIMIT_URL, else a lock file under var/ for the processes of one machine); Stripe allows about
# 100 requests a second live and 25 in test mode.
ACQUIRER_TIMEOUT_SECONDS = float(os.environ.get("ACQUIRER_TIMEOUT_SECONDS", "20"))
ACQUIRER_RATE_LIMIT_PER_SECOND = float(os.environ.get("ACQUIRER_RATE_LIMIT_PER_SECOND", "25"))
ACQUIRER_RATE_LIMIT_URL = os.environ.get("ACQUIRER_RATE_LIMIT_URL", os.environ.get("CACHE_URL", ""))
# How long boarding waits for the acquirer's asynchronous verification before it needs attention, and how
# often it looks again meanwhile (webhooks usually come first).
BOARDING_VERIFICATION_DAYS = env_int("BOARDING_VERIFICATION_DAYS", 7)
BOARDING_POLL_SECONDS = env_int("BOARDING_POLL_SECONDS", 60)
# Transient acquirer errors are retried after ACQUIRER_RETRY_BASE_SECONDS · 2^attempt (with jitter), capped.
ACQUIRER_RETRY_BASE_SECONDS = float(os.environ.get("ACQUIRER_RETRY_BASE_SECONDS", "2"))
ACQUIRER_RETRY_MAX_SECONDS = float(os.environ.get("ACQUIRER_RETRY_MAX_SECONDS", "600"))
