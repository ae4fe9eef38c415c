"""Soak settings (``make soak``, scripts/soak.py): the benchmark's production settings over
plain HTTP on loopback, with emails written as files (the soak counts them) and the
project's own URLs."""

from .bench import *  # noqa: F403

ROOT_URLCONF = "seir.urls"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
