"""Local development: DEBUG on, everything else from base (SQLite + serverless broker)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
