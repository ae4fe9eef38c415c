"""/healthz answers anonymous callers: 200 when the database and the broker answer, 503 if not.

The broker is whatever the settings say: Redis when REDIS_URL is set (CI), otherwise the
serverless SQLite broker in var/.
"""

import pytest
from django.urls import reverse

from seir import health
from seir.celery import app as celery_app

pytestmark = pytest.mark.django_db

DEAD_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthy_when_database_and_broker_answer(client):
    # given the configured database and broker, and an anonymous caller
    # when they ask for /healthz
    response = client.get(reverse("healthz"))

    # then both checks pass and nothing is cached on the way
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_unavailable_when_the_broker_is_down(client, monkeypatch):
    # given the Celery app pointed at a port where no broker listens
    monkeypatch.setitem(celery_app.conf, "broker_url", DEAD_BROKER_URL)
    monkeypatch.setattr(health, "BROKER_TIMEOUT_SECONDS", 1)

    # when /healthz runs its real broker check
    response = client.get(reverse("healthz"))

    # then it reports the broker and answers 503
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}


def test_unavailable_when_the_database_is_down(client, monkeypatch):
    # given a database that does not answer
    monkeypatch.setattr(health, "database_ok", lambda: False)

    # when /healthz runs
    response = client.get(reverse("healthz"))

    # then it reports the database and answers 503
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "broker": "ok"}


def test_only_get_is_allowed(client):
    # given an anonymous caller
    # when they POST to /healthz
    response = client.post(reverse("healthz"))

    # then the method is refused, not redirected to sign-in
    assert response.status_code == 405
