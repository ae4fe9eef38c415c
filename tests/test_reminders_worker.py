"""A real worker delivers a real reminder end to end (issue 18): the beat's task runs on
a Celery worker on the configured broker (Redis when REDIS_URL is set, as in CI,
otherwise the SQLite broker), writes the reminder, and the outbox's delivery sends one
email; a duplicated tick sends nothing more. Reuses the outbox worker tests' harness
(``WorkerDatabase``: a file copy on SQLite, the live test database on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists.models import Checklist, ChecklistItem
from reminders import tasks
from tests.test_outbox_worker import (  # noqa: F401  (fixtures)
    WorkerDatabase,
    publishing,
    queue,
    wait_for,
    workers,
)
from ventures.factories import VentureFactory
from ventures.models import Stage, Venture

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_sends_a_real_reminder_once(tmp_path, queue, workers, publishing):  # noqa: F811
    # given an entrepreneur with a checklist item overdue since yesterday
    programme = ProgrammeFactory()
    seir = member(programme, Role.SEIR, username="seir")
    lead = member(programme, Role.ENTREPRENEUR, username="lead")
    # Its own stage: the seeded default stages may have been flushed by a transactional
    # test before this one, and a reminder run does not look at stages.
    stage, _ = Stage.objects.get_or_create(
        programme=programme, code="idea", defaults={"name": "Idea", "order": 1}
    )
    venture = VentureFactory(programme=programme, name="Saheli", seir=seir, lead=lead, stage=stage)
    Venture.objects.filter(pk=venture.pk).update(last_activity_at=timezone.now())
    checklist = Checklist.objects.create(venture=venture, created_at=timezone.now())
    ChecklistItem.objects.create(
        checklist=checklist,
        section="Governance",
        label="Public liability insurance",
        owner=lead,
        due_date=timezone.localdate() - dt.timedelta(days=1),
        created_at=timezone.now(),
    )
    database = WorkerDatabase(tmp_path)
    worker = workers(queue=queue, database=database)

    # when the beat's task is sent twice (a duplicated tick) to a real worker
    tasks.send_reminders.apply_async(queue=queue)
    tasks.send_reminders.apply_async(queue=queue)

    # then the reminder is recorded and emailed once, and both runs finished
    wait_for(
        lambda: (
            database.read("SELECT emailed_at FROM reminders_reminder")[0][0]
            if database.read("SELECT count(*) FROM reminders_reminder")[0][0]
            else None
        ),
        worker,
        "the reminder emailed",
    )
    wait_for(
        lambda: worker.output().count("reminders.tasks.send_reminders[") >= 4,
        worker,
        "both runs finished",
    )
    assert database.read("SELECT count(*) FROM reminders_reminder") == [(1,)]
    mail = tmp_path / "mail"
    # The row is marked emailed as the outbox's delivery claims it, before the email is
    # written: wait for the file too (a loaded machine showed the gap), and for its whole
    # message: Django's file backend creates the file when it opens the connection and
    # ends each message it writes with a line of 79 dashes (CI once read it still empty).
    wait_for(
        lambda: (
            mail.is_dir()
            and any(f.read_bytes().rstrip().endswith(b"-" * 79) for f in mail.iterdir())
        ),
        worker,
        "the email written",
    )
    emails = list(mail.iterdir())
    assert len(emails) == 1
    text = emails[0].read_text()
    assert "To: lead@example.nhs.uk" in text
    assert "Subject: SEiR Pipeline: 1 reminder for you" in text
    assert "Saheli: checklist item =E2=80=9CPublic liability insurance=E2=80=9D" in text or (
        "Saheli: checklist item “Public liability insurance”" in text
    )
