"""Uploads orphaned by a rolled-back transaction are removed after a grace period
(issue 18 item 6); nothing else in the storage is touched."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.utils import timezone

from files import housekeeping
from files.housekeeping import GRACE, orphaned_uploads_remove
from files.tasks import remove_orphaned_uploads

pytestmark = pytest.mark.django_db

ORPHAN = "checklists/evidence/0123456789abcdef0123456789abcdef.pdf"
KEPT_BY_A_ROW = "funding/documents/fedcba9876543210fedcba9876543210.xlsx"
NOT_AN_UPLOAD = "checklists/README.txt"


@pytest.fixture
def storage():
    storage = InMemoryStorage()
    for name in (ORPHAN, KEPT_BY_A_ROW, NOT_AN_UPLOAD):
        storage.save(name, ContentFile(b"x"))
    return storage


def names(storage) -> list[str]:
    return sorted(housekeeping._stored_names(storage))


def test_an_orphan_past_the_grace_period_is_removed_and_nothing_else(storage, monkeypatch):
    monkeypatch.setattr(housekeeping, "referenced_names", lambda: {KEPT_BY_A_ROW})

    removed = orphaned_uploads_remove(
        now=timezone.now() + GRACE + timedelta(minutes=1), storage=storage
    )

    assert removed == [ORPHAN]
    assert names(storage) == [NOT_AN_UPLOAD, KEPT_BY_A_ROW]
    # and a second run removes nothing more
    assert orphaned_uploads_remove(now=timezone.now() + GRACE * 2, storage=storage) == []


def test_an_orphan_within_the_grace_period_is_kept(storage, monkeypatch):
    # a file whose row may still be committing
    monkeypatch.setattr(housekeeping, "referenced_names", lambda: set())

    assert (
        orphaned_uploads_remove(now=timezone.now() + GRACE - timedelta(minutes=1), storage=storage)
        == []
    )
    assert names(storage) == [NOT_AN_UPLOAD, ORPHAN, KEPT_BY_A_ROW]


def test_the_task_runs_daily_on_beat():
    from celery.schedules import crontab

    from seir.celery import app

    assert app.conf.beat_schedule["remove-orphaned-uploads"] == {
        "task": "files.tasks.remove_orphaned_uploads",
        "schedule": crontab(hour=3, minute=50),
    }
    assert remove_orphaned_uploads.name == "files.tasks.remove_orphaned_uploads"
