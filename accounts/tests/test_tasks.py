"""Housekeeping tasks on the beat schedule."""

import sqlite3
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import tasks
from seir.celery import app


def test_beat_schedule_names_registered_tasks():
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def test_purge_deletes_only_consumed_messages_of_the_sqlite_broker(tmp_path, settings):
    # given: a SQLite broker with two consumed messages and one waiting
    broker = tmp_path / "broker.sqlite3"
    with sqlite3.connect(broker) as db:
        db.execute("CREATE TABLE kombu_message (id INTEGER PRIMARY KEY, visible BOOLEAN)")
        db.executemany("INSERT INTO kombu_message (visible) VALUES (?)", [(0,), (0,), (1,)])
    settings.CELERY_BROKER_URL = f"sqla+sqlite:///{broker}"

    # when: it runs twice (as a retried or repeated beat run would)
    first, second = tasks.purge_consumed_broker_messages(), tasks.purge_consumed_broker_messages()

    # then: the waiting message is kept
    assert (first, second) == (2, 0)
    with sqlite3.connect(broker) as db:
        assert db.execute("SELECT visible FROM kombu_message").fetchall() == [(1,)]


def test_purge_is_a_no_op_on_redis(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert tasks.purge_consumed_broker_messages() == 0


def test_clear_expired_sessions_keeps_live_ones(db):
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(days=1))

    tasks.clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
