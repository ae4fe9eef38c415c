"""Consumers for the real-worker tests, loaded only by the worker those tests start
(``celery worker --include=outbox.tests.worker_consumers``).

``test.outbox.email``: appends a line to ``payload["log"]`` when it starts, then sends one
email. With ``hang_first``, its first run hangs before sending (the test kills that
worker mid-task). ``event.notify`` is replaced, in that worker only, by a consumer that
appends the event's id to the file named by ``OUTBOX_TEST_NOTIFY_LOG``, so the tests
watch the outbox and not the notifications built on it.
"""

import os
import time
from pathlib import Path

from django.core.mail import send_mail

from outbox.registry import register_consumer

HANG_SECONDS = 120


@register_consumer("test.outbox.email")
def send_one_email(payload: dict) -> None:
    log = Path(payload["log"])
    runs_before = len(log.read_text().splitlines()) if log.exists() else 0
    with log.open("a") as file:
        file.write("started\n")
    if payload.get("hang_first") and runs_before == 0:
        time.sleep(HANG_SECONDS)
    send_mail(payload["subject"], "Body.", None, [payload["to"]])


if os.environ.get("OUTBOX_TEST_NOTIFY_LOG"):

    @register_consumer("event.notify")
    def note_event(payload: dict) -> None:
        with Path(os.environ["OUTBOX_TEST_NOTIFY_LOG"]).open("a") as file:
            file.write(f"{payload['event_id']}\n")
