"""Settings shared by every environment.

Everything configurable comes from environment variables (django-environ) with safe
local defaults: with no configuration the app runs on SQLite and a serverless Celery
broker in ``var/``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("SEIR_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin opens for global administrators only (accounts.admin_site).
    "accounts.admin_site.SeirAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    # Two-factor sign-in: authenticator apps (TOTP) and one-time backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours: accounts (users, programmes, roles) sits below the domain apps, and events
    # (the one record of what happened) between accounts and the domain apps.
    "accounts",
    # Beside accounts: work written in a change's own transaction, run by the worker.
    "outbox",
    # Beside accounts: backups and restores, and the erasure log a restore re-applies.
    "backups",
    "events",
    # Above accounts and events: two-factor sign-in and the account page's sessions.
    "security",
    # Cross-cutting: a rendered form is saved once (one-time submission tokens).
    "submissions",
    # Cross-cutting: who has read what (per-person view state; records no events).
    "inbox",
    # Project-wide wiring (integer lookups that never overflow).
    "seir",
    "ventures",
    "plans",
    "scouting",
    "commissioning",
    "checklists",
    "funding",
    "outcomes",
    # Above ventures, commissioning and scouting: invitations into their roles.
    "invitations",
    # Figures across the apps above: the manager's dashboard (and the target report).
    "progress",
    # Above every domain app: reminders, the managers' digest, personal calendar feeds.
    "reminders",
    "demo",
    # The accessibility statement and privacy notice (public, text in the database).
    "sitepages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "seir.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in answers are not kept by proxies or the browser (no-store, private).
    "seir.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session unused for too long is signed out (accounts.sessions).
    "accounts.sessions.IdleTimeoutMiddleware",
    # Whoever must use a second factor passes it before any page (security.policy).
    "security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every page needs sign-in unless its view is marked login_not_required.
    # (an htmx request gets a 401 instead of the sign-in page: seir.middleware)
    "seir.middleware.LoginRequiredMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seir.urls"
WSGI_APPLICATION = "seir.wsgi.application"
ASGI_APPLICATION = "seir.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "commissioning.context_processors.navigation",
            ],
        },
    },
    {
        # Hot fragments only (seir/jinja2.py): drawn through {% jinja %}, never a page.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "seir.jinja2.environment"},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process, the worker and beat share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL: the prepared queries (seir.prepared) are also prepared on the server, once a
# connection (seir.statements). False behind a transaction-pooling proxy (PgBouncer in
# transaction mode), where a statement prepared on one server connection is not on the next.
SEIR_SERVER_PREPARED = env.bool("SEIR_SERVER_PREPARED", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Admin permissions follow the global administrator role, not auth groups.
    "accounts.backends.GlobalAdminBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Pages pass the CSRF token in hx-headers (read by static/js from the page), so no script
# needs the cookie.
CSRF_COOKIE_HTTPONLY = True
# A form sent in place with a token older than the last sign-in is told so, not lost.
CSRF_FAILURE_VIEW = "seir.signed_out.csrf_failure"

# Content Security Policy (django-csp): our own files only. No inline script or event
# handler anywhere (JS lives in static/js) and no inline styles (htmx's indicator style is
# switched off in base.html's htmx-config). Bootstrap's CSS draws icons with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no page uses (seir.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Signing in: lockouts, the second factor, idle sessions, password resets.
from .signin import *  # noqa: E402, F403

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "British English")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: kept outside any served directory and sent only by views
# that check permission (files.responses). Nothing serves MEDIA_URL, so no file is ever
# reachable at a public URL. SEIR_DEFAULT_STORAGE (JSON) swaps the backend, e.g. an
# S3-compatible store: {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {...}}
# (django-storages, installed where used, with private ACLs and no public URLs).
MEDIA_URL = "/private-media-is-not-served/"
MEDIA_ROOT = VAR_DIR / "private-media"
STORAGES = {
    "default": env.json(
        "SEIR_DEFAULT_STORAGE",
        default={
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT)},
        },
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Largest upload accepted (checked by files.validation); a front proxy should cap request
# bodies a little above it (nginx client_max_body_size).
SEIR_UPLOAD_MAX_BYTES = env.int("SEIR_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Files over 2.5 MB stream to a temporary file instead of memory; plain form fields stay
# bounded by Django's default 2.5 MB; uploaded files are readable by the app user only.
FILE_UPLOAD_HANDLERS = [
    # Stops keeping a file once it passes SEIR_UPLOAD_MAX_BYTES (the form then says so).
    "files.handlers.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Backups (`make backup`, the nightly task): archives are written here, and the nightly
# task keeps the newest SEIR_BACKUP_KEEP of them. Copy them off the machine as well.
SEIR_BACKUP_DIR = Path(env.str("SEIR_BACKUP_DIR", default=str(VAR_DIR / "backups")))
SEIR_BACKUP_KEEP = env.int("SEIR_BACKUP_KEEP", default=14)
# The erasure log's file (no personal data: model, id, moment), which a database restore
# never touches; a restore re-applies every erasure in it (backups.erasure). Keep it with
# the installation, and copy it along when moving to a new machine.
SEIR_ERASURE_LOG = Path(env.str("SEIR_ERASURE_LOG", default=str(VAR_DIR / "erasure-log.jsonl")))

# Email: by default written as files a local user can read (var/mail/).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    # e.g. smtp+tls://user:password@smtp.example.nhs.uk:587
    vars().update(env.email_url("EMAIL_URL"))
# Seconds an SMTP connect or send may block before it fails (Django's default: for ever).
# Must stay well below OUTBOX_RESEND_AFTER_SECONDS: a send stalled longer than that lets
# the outbox's drain hand the same message to a second worker while the first still
# waits, and a failure here instead gives the claim back for the outbox's retry.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SEiR Pipeline <noreply@seir.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where emails and calendar feeds link to (tasks have no request to ask).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

MESSAGE_TAGS = {40: "danger"}  # messages.ERROR -> Bootstrap's alert-danger

# Every form's bound fields render their value and errors without a NUL (seir.renderers).
FORM_RENDERER = "seir.renderers.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery -------------------------------------------------------------------
# With REDIS_URL: Redis. Without: kombu's SQLAlchemy transport on a SQLite file, which
# needs no server and survives load (see shared/TESTING.md; the filesystem transport
# crashes under load).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL",
    default=REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}",
)
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=REDIS_URL or f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}",
)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The queue tasks are sent to unless routed elsewhere: another name keeps apart two
# deployments (or a test's worker) sharing one broker.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis hands a message a worker took and never acknowledged (the worker died) to
    # another after this long. It must outlast the longest task (a reminder run: under
    # a minute) and the longest retry countdown (outbox.retry: 10 minutes), or a slow
    # task would run twice. The outbox's drain re-sends its own work sooner (5 minutes).
    # Only for Redis: the SQLite transport hands its options to SQLAlchemy.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 30 * 60,
        # A Redis host that does not answer at all fails a page's send in 2 s (the outbox
        # keeps the work) instead of holding the request for the system's TCP timeout.
        "socket_connect_timeout": 2,
    }

# The outbox sends again work still undelivered this long after it was written, sent or
# taken (a worker died with it, the broker lost it). Longer than any consumer runs.
OUTBOX_RESEND_AFTER_SECONDS = env.int("OUTBOX_RESEND_AFTER_SECONDS", default=5 * 60)

# Two caches, shared by every web and worker process (Redis when configured, else files
# under var/, shared by the processes on one machine):
# - "default" only saves work (reference data for the list filters, unread counts):
#   losing any entry is harmless, so it may live on a Redis that evicts
#   (CACHE_URL: docker-compose runs one with a memory limit and allkeys-lru);
# - "counters" holds the security counters (password-reset throttle, second-factor
#   lockout), which must never be evicted: on REDIS_URL, the broker's instance, which
#   docker-compose runs with noeviction.
CACHE_URL = env.str("CACHE_URL", default="") or REDIS_URL


def _cache(url: str, directory: str) -> dict:
    if url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "seir",
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / directory),
        "KEY_PREFIX": "seir",
    }


CACHES = {"default": _cache(CACHE_URL, "cache"), "counters": _cache(REDIS_URL, "counters")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Programme defaults (each programme can change its own).
SEIR_DEFAULT_PROGRAMME_MONTHS = 12
SEIR_DEFAULT_TARGET = 3
