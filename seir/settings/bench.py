"""Benchmark settings (``make bench``): production settings served over plain HTTP on
loopback, plus a reference page mounted only here (seir/bench_urls.py).

Only what plain HTTP on 127.0.0.1 needs is loosened: without a TLS proxy, a secure-only
session cookie is never sent back and SSL redirects would turn every request into a 301.
"""

import os

# Production refuses to start without these; the benchmark is throwaway and local.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-real-deployment")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .production import *  # noqa: E402, F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ROOT_URLCONF = "seir.bench_urls"
# Sign-in attempts are not measured; keep django-axes quiet.
AXES_VERBOSE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
