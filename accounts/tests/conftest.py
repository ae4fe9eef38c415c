"""Fixtures for accounts' tests: the global administrator who changes others' access."""

import pytest
from django.test import Client

from accounts.factories import global_admin

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def root():
    """A global administrator (no programme membership) who grants and revokes."""
    return global_admin(username="root", first_name="Ada", last_name="Root")


@pytest.fixture
def root_client(root):
    client = Client()
    client.force_login(root, backend=BACKEND)
    return client
