"""The outbox with a real Celery worker (issue 18 item 5): a page answers while the broker
is down and its work is delivered once the broker is back; a worker killed mid-task
loses nothing, and the re-run sends one email.

Each test starts workers on a queue of its own (also their default queue, so what they
send stays with them), on the configured broker (Redis when REDIS_URL is set, otherwise
the SQLite broker in var/), never stopping a broker: "down" is a broker address where
nothing listens. The worker's database (``WorkerDatabase``): on PostgreSQL (as in CI) the
live test database itself, which the worker connects to (the tests are transactional, so
what they write is committed and visible to it); on SQLite the test database lives in
memory, so the worker gets a copy of it in a file (SQLite's backup API) and the test
reads and writes the worker's copy.
"""

from __future__ import annotations

import importlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from events import services as event_services
from events.models import Event
from outbox.delivery import RESEND_AFTER
from outbox.models import OutboxMessage
from outbox.tasks import deliver, drain
from seir.celery import app as celery_app
from tests.html_forms import page_form
from ventures.factories import VentureFactory

pytestmark = [
    pytest.mark.worker,
    # serialized_rollback: the reference data migrations wrote is back for the next tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
WAIT_SECONDS = 90


class Worker:
    """``celery worker`` in a process of its own, on ``queue``, with ``database``."""

    def __init__(self, *, queue: str, database: WorkerDatabase, var_dir: Path, extra_env=None):
        self.log_path = var_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "seir.settings.local",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_BROKER_URL": REAL_BROKER_URL,
            "CELERY_RESULT_BACKEND": celery_app.conf.result_backend,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "DATABASE_URL": database.url,
            "SEIR_VAR_DIR": str(var_dir),  # its emails are written to var_dir/mail
            **(extra_env or {}),
        }
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "seir",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--include=outbox.tests.worker_consumers",
                f"--queues={queue}",
                f"--hostname={queue}-{uuid.uuid4().hex[:4]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no chance to finish the task, acknowledge it or clean up."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


REAL_BROKER_URL = celery_app.conf.broker_url


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = Worker(var_dir=tmp_path, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def queue():
    return f"test-outbox-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def publishing(monkeypatch):
    """Tasks really go through a broker (the test settings run them eagerly);
    ``publishing(url)`` points this process at the broker ``url``."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)

    def to(url: str) -> None:
        monkeypatch.setitem(celery_app.conf, "broker_url", url)
        # Forget connections pooled for the previous address.
        monkeypatch.setattr(celery_app, "_pool", None)
        monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)

    to(REAL_BROKER_URL)
    return to


class WorkerDatabase:
    """The database a worker process uses (``url``), and the test's way to read and write
    it: SQL with ``%s`` placeholders, datetimes as datetimes, on either database."""

    def __init__(self, tmp_path: Path):
        connection.ensure_connection()
        self.sqlite_path: Path | None = None
        if connection.vendor == "sqlite":
            # The test database lives in memory: the worker gets a file copy of it.
            self.sqlite_path = tmp_path / "worker.sqlite3"
            target = sqlite3.connect(self.sqlite_path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            self.url = f"sqlite:///{self.sqlite_path}"
        else:
            # The live test database: what the (transactional) test wrote is committed.
            db = settings.DATABASES["default"]
            credentials = quote(db["USER"] or "", safe="")
            if db.get("PASSWORD"):
                credentials += ":" + quote(db["PASSWORD"], safe="")
            port = f":{db['PORT']}" if db.get("PORT") else ""
            name = quote(db["NAME"], safe="")
            self.url = f"postgres://{credentials}@{db.get('HOST') or ''}{port}/{name}"

    def read(self, sql: str, params=()) -> list[tuple]:
        if self.sqlite_path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return [tuple(values) for values in cursor.fetchall()]
        with sqlite3.connect(self.sqlite_path, timeout=20) as db:
            return db.execute(*self._for_sqlite(sql, params)).fetchall()

    def write(self, sql: str, params=()) -> None:
        if self.sqlite_path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            return
        db = sqlite3.connect(self.sqlite_path, timeout=20)
        try:
            with db:
                db.execute(*self._for_sqlite(sql, params))
        finally:
            db.close()

    @staticmethod
    def _for_sqlite(sql: str, params) -> tuple[str, tuple]:
        """``?`` placeholders, and moments as Django stores them in SQLite (UTC, no offset)."""
        return sql.replace("%s", "?"), tuple(
            value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            if isinstance(value, datetime)
            else value
            for value in params
        )


def wait_for(condition, worker: Worker, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker.process.poll() is not None:
            break
        time.sleep(0.3)
    pytest.fail(
        f"{what}: not within {WAIT_SECONDS}s; exit={worker.process.poll()}\n{worker.output()}"
    )


def row(database: WorkerDatabase, message_id: int) -> dict:
    columns = ("attempts", "taken_at", "delivered_at", "last_error")
    values = database.read(
        f"SELECT {', '.join(columns)} FROM outbox_outboxmessage WHERE id = %s",  # noqa: S608
        (message_id,),
    )[0]
    return dict(zip(columns, values, strict=True))


def test_a_page_answers_while_the_broker_is_down_and_its_work_is_delivered_once_it_is_back(
    tmp_path, queue, workers, publishing, monkeypatch, caplog
):
    # given a SEiR on a venture's page, events that tell people, and the broker down (the
    # default stages put back: a transactional test before this one may have emptied them)
    _reference_data.seed(django_apps, None)
    programme = ProgrammeFactory()
    seir = member(programme, Role.SEIR)
    venture = VentureFactory(programme=programme, seir=seir, lead=None)
    monkeypatch.setattr(event_services, "_notifies", lambda kind: True)
    client = Client()
    client.force_login(seir)
    detail = reverse("ventures:detail", args=[venture.pk])
    form = page_form(client.get(detail).content, containing="body")
    publishing(DEAD_BROKER_URL)

    # when they add a note
    started = time.monotonic()
    response = client.post(form.action, {**form.values, "body": "Met the trustees."})
    took = time.monotonic() - started

    # then the page answers as usual, promptly, and the note is saved
    assert response.status_code == 302
    assert response["Location"] == detail + "#timeline"
    assert took < 10, took
    event = Event.objects.get(venture_id=venture.pk, kind="venture.note_added")
    # and the outbox keeps the work, undelivered, and says why it was not sent
    message = OutboxMessage.objects.get(topic="event.notify", payload={"event_id": event.pk})
    assert (message.attempts, message.delivered_at) == (0, None)
    assert "not sent now (broker unreachable?)" in caplog.text

    # when the broker is back and the drain's next tick comes
    publishing(REAL_BROKER_URL)
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=message.created_at - timedelta(seconds=1)
    )
    database = WorkerDatabase(tmp_path)
    told = tmp_path / "told.log"
    worker = workers(
        queue=queue, database=database, extra_env={"OUTBOX_TEST_NOTIFY_LOG": str(told)}
    )
    drain.apply_async(queue=queue)

    # then the worker delivers it, once
    wait_for(lambda: row(database, message.pk)["delivered_at"], worker, "delivery")
    assert told.read_text().splitlines() == [str(event.pk)]
    assert row(database, message.pk)["attempts"] == 1


def test_a_worker_killed_mid_task_loses_nothing_and_the_re_run_sends_one_email(
    tmp_path, queue, workers, publishing
):
    # given an email in the outbox whose first run hangs before sending
    log = tmp_path / "runs.log"
    message = OutboxMessage.objects.create(
        topic="test.outbox.email",
        payload={
            "log": str(log),
            "to": "samira@example.org",
            "subject": "Due this week",
            "hang_first": True,
        },
        next_attempt_at=datetime.now(UTC) + timedelta(days=1),
    )
    database = WorkerDatabase(tmp_path)
    mail = tmp_path / "mail"

    # when a worker takes it and is killed mid-task
    first = workers(queue=queue, database=database)
    deliver.apply_async((message.pk,), queue=queue)
    wait_for(lambda: log.exists() and log.read_text(), first, "the first run starting")
    first.kill()

    # then the message is still undelivered, taken by the dead run, and nothing was sent
    taken = row(database, message.pk)
    assert (taken["attempts"], taken["delivered_at"]) == (1, None)
    assert taken["taken_at"] is not None
    assert not mail.exists() or list(mail.iterdir()) == []

    # when the resend time passes and the drain runs on a new worker
    past = datetime.now(UTC) - RESEND_AFTER - timedelta(seconds=1)
    database.write(
        "UPDATE outbox_outboxmessage SET taken_at = %s, next_attempt_at = %s WHERE id = %s",
        (past, past, message.pk),
    )
    second = workers(queue=queue, database=database)
    drain.apply_async(queue=queue)

    # then the task is re-run, the message delivered, and exactly one email sent
    wait_for(lambda: row(database, message.pk)["delivered_at"], second, "the re-run")
    done = row(database, message.pk)
    assert (done["attempts"], done["taken_at"], done["last_error"]) == (2, None, "")
    assert log.read_text().splitlines() == ["started", "started"]
    emails = list(mail.iterdir())
    assert len(emails) == 1
    assert "Subject: Due this week" in emails[0].read_text()
    assert "To: samira@example.org" in emails[0].read_text()
