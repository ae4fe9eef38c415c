"""Signed-in test clients and the messages a response carried, for any app's tests."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.test import Client


def client_for(user, **kwargs) -> Client:
    """A test client signed in as ``user`` (``kwargs`` go to ``Client``)."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


def texts(response) -> list[str]:
    """The texts of the messages queued while answering ``response``."""
    return [str(m) for m in get_messages(response.wsgi_request)]
