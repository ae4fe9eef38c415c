"""Test settings: fast hashing, in-memory email, eager Celery.

DATABASE_URL and REDIS_URL still apply, so CI runs the suite on PostgreSQL and Redis.
"""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No file mirror of the erasure log (it would outlive the test database); tests of the
# log give it a temporary file.
SEIR_ERASURE_LOG = None
# Keep test output readable: django-axes logs every sign-in at INFO.
AXES_VERBOSE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# WhiteNoise otherwise re-indexes every static file whenever a test client is built.
WHITENOISE_AUTOREFRESH = True
# Each test run has its own throttle counters (never a shared Redis).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counters": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "counters",
    },
}
# Every call of a prepared query (seir/prepared.py) is checked against the SQL its
# arguments compile to, not only the first of each shape.
SEIR_PREPARED_CHECK_ALWAYS = True
