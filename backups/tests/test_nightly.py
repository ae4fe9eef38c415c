"""The nightly backup: on the beat schedule, one archive a run, the newest N kept."""

import datetime
import os

import pytest
from celery.schedules import crontab

from backups.services import backups_prune
from backups.tasks import backup_nightly
from seir.celery import app

# Transactional (pg_dump and restores see committed data only); serialized rollback puts
# back the reference data the migrations wrote, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_beat_schedule_runs_the_nightly_backup_at_2_15():
    entry = app.conf.beat_schedule["nightly-backup"]
    assert entry["task"] == "backups.tasks.backup_nightly"
    assert entry["schedule"] == crontab(hour=2, minute=15)
    assert "backups.tasks.backup_nightly" in app.tasks


def test_each_run_writes_an_archive_and_keeps_exactly_the_newest_n(backup_env, settings):
    settings.SEIR_BACKUP_KEEP = 3
    directory = backup_env / "backups"
    directory.mkdir()
    unrelated = directory / "notes.txt"
    unrelated.write_text("kept: not an archive")

    written = [backup_nightly.delay().get() for _ in range(5)]

    archives = sorted(p.name for p in directory.iterdir() if p.name.endswith(".tar.gz"))
    assert archives == sorted(os.path.basename(p) for p in written[-3:])
    assert written == sorted(written)  # names sort in the order they were made
    assert unrelated.exists()


def test_an_unfinished_archive_is_removed_once_a_day_old(backup_env):
    directory = backup_env / "backups"
    directory.mkdir()
    stale = directory / "seir-backup-20261101T021500.000000Z.tar.gz.partial"
    fresh = directory / "seir-backup-20261202T021500.000000Z.tar.gz.partial"
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    day_old = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(stale, (day_old, day_old))

    removed = backups_prune(keep=1, directory=directory)

    assert removed == [stale]
    assert fresh.exists()


def test_keeping_none_is_refused(backup_env):
    with pytest.raises(ValueError, match="Keep at least one archive"):
        backups_prune(keep=0)
