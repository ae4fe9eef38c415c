"""/healthz answers anonymous callers: 200 when the database and the broker answer, 503 if not,
and how long the oldest undelivered outbox message has waited (issue 18 item 5).

The broker is whatever the settings say: Redis when REDIS_URL is set (CI), otherwise the
serverless SQLite broker in var/.
"""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox import selectors as outbox_selectors
from outbox.models import OutboxMessage
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
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "outbox_oldest_undelivered_seconds": None,
    }
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_unavailable_when_the_broker_is_down(client, monkeypatch):
    # given the Celery app pointed at a port where no broker listens
    monkeypatch.setitem(celery_app.conf, "broker_url", DEAD_BROKER_URL)
    monkeypatch.setattr(health, "BROKER_TIMEOUT_SECONDS", 1)

    # when /healthz runs its real broker check
    response = client.get(reverse("healthz"))

    # then it reports the broker and answers 503
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
        "outbox_oldest_undelivered_seconds": None,
    }


def test_unavailable_when_the_database_is_down(client, monkeypatch):
    # given a database that does not answer
    monkeypatch.setattr(health, "database_ok", lambda: False)

    # when /healthz runs
    response = client.get(reverse("healthz"))

    # then it reports the database and answers 503
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "broker": "ok",
        "outbox_oldest_undelivered_seconds": None,
    }


def test_only_get_is_allowed(client):
    # given an anonymous caller
    # when they POST to /healthz
    response = client.post(reverse("healthz"))

    # then the method is refused, not redirected to sign-in
    assert response.status_code == 405


def test_reports_how_long_the_oldest_undelivered_outbox_message_has_waited(client, monkeypatch):
    # given, at 10:00:00, a delivered message from 09:00 and undelivered ones from 09:57:30
    # and 09:59:00 (the worker has not done them yet)
    now = timezone.make_aware(datetime(2026, 12, 2, 10, 0, 0))
    monkeypatch.setattr(outbox_selectors.timezone, "now", lambda: now)
    OutboxMessage.objects.create(
        topic="t", created_at=now - timedelta(hours=1), delivered_at=now - timedelta(minutes=59)
    )
    OutboxMessage.objects.create(topic="t", created_at=now - timedelta(seconds=150))
    OutboxMessage.objects.create(topic="t", created_at=now - timedelta(seconds=60))

    # when /healthz runs
    response = client.get(reverse("healthz"))

    # then it reports the oldest undelivered one's age in seconds; a backlog is reported
    # for monitoring, and does not make the web process unhealthy
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "outbox_oldest_undelivered_seconds": 150,
    }
