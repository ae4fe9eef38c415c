"""Fixtures for every test in the project."""

import pytest
from django.core.cache import caches

# The people and programmes every app's tests share.
pytest_plugins = ["tests.people"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached reference data, throttle counters):
    rolled-back rows must never be served from a cache another test filled."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(request, monkeypatch):
    """``Client.force_login`` stands for a whole sign-in, second factor included: the
    session is marked as having passed it (accounts.sessions), so tests of pages need
    not enrol anyone. Tests of the second factor itself are marked ``real_two_factor``
    and get Django's own force_login."""
    if request.node.get_closest_marker("real_two_factor"):
        return
    from django.test import Client

    from accounts.sessions import session_mark_verified

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session_mark_verified(session)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def reference_data_restored(transactional_db):
    """The migrations' reference rows (stages, templates, funds...), put back for a
    transactional test: an earlier one may have flushed them (tests/reference_data.py)."""
    from tests.reference_data import reference_data_restore

    reference_data_restore()
