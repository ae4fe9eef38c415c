"""A real Celery worker process takes a task from the configured broker and answers.

The test settings make Celery eager; this test turns that off for itself so that
``apply_async`` really publishes. The worker is started with the same broker and result backend as this process (Redis when
REDIS_URL is set, as in CI; otherwise the SQLite broker in var/), on a queue of its own so
that no other worker (say one from ``make run``) can take the task.
"""

import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tasks import ping
from seir.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db]

RESULT_TIMEOUT_SECONDS = 60


@pytest.fixture
def worker_queue():
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "seir.settings.local",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_URL": celery_app.conf.broker_url,
        "CELERY_RESULT_BACKEND": celery_app.conf.result_backend,
    }
    log = tempfile.NamedTemporaryFile("w+", prefix="celery-worker-", suffix=".log")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "seir",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue, worker, log
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log.close()


def _output(log) -> str:
    return Path(log.name).read_text(errors="replace")[-4000:]


def test_real_worker_runs_ping(worker_queue, monkeypatch):
    queue, worker, log = worker_queue
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)

    # given a worker running on its own queue
    # when ping is sent through the broker
    result = ping.apply_async(queue=queue)

    # then the worker answers pong through the result backend
    try:
        answer = result.get(timeout=RESULT_TIMEOUT_SECONDS)
    except Exception as exc:
        pytest.fail(f"no answer from the worker ({exc!r}); exit={worker.poll()}\n{_output(log)}")
    assert answer == "pong"
    assert result.status == "SUCCESS"
    assert worker.poll() is None, f"worker exited early:\n{_output(log)}"
