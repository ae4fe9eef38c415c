"""Every task on the beat schedule is one a worker knows: a worker loads the tasks the way
``celery -A seir worker`` does (autodiscovery), in a process of its own."""

import json
import os
import subprocess
import sys

from django.conf import settings

from seir.celery import app

LIST_TASKS = (
    "import django, json; django.setup(); from seir.celery import app; "
    "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))"
)


def test_every_scheduled_task_is_registered_in_a_fresh_worker_process():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "seir.settings.test"}
    output = subprocess.run(
        [sys.executable, "-c", LIST_TASKS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    registered = set(json.loads(output.strip().splitlines()[-1]))

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled - registered == set()
    assert {
        "outbox.drain",
        "outbox.deliver",
        "outbox.deliver_many",
        "files.tasks.remove_orphaned_uploads",
        "submissions.tasks.remove_expired_submission_tokens",
    } <= registered
