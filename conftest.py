"""Fixtures for every test in the project."""

import pytest
from django.core.cache import cache

# The people and programmes every app's tests share.
pytest_plugins = ["tests.people"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached reference data, throttle counters):
    rolled-back rows must never be served from a cache another test filled."""
    cache.clear()
    yield
    cache.clear()
