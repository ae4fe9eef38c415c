"""Backup -> wipe -> restore gives back every row and every file (issue 21, item 3).
Runs on the configured database: SQLite by default, PostgreSQL when DATABASE_URL says so
(pg_dump and pg_restore of the test database)."""

import hashlib
import json
import os
import stat
import tarfile

import pytest
from django.core.cache import cache
from django.core.management import call_command

from backups.services import backup_create, backup_restore
from backups.tests.snapshots import every_file, every_row, wipe
from seir import refcache
from tests.reference_data import reference_data_restore

# Transactional (pg_dump and restores see committed data only); serialized rollback puts
# back the reference data the migrations wrote, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_demo_data_comes_back_row_for_row_and_file_for_file(backup_env, settings):
    settings.DEBUG = True
    reference_data_restore()  # an earlier transactional test may have flushed it
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows_before, files_before = every_row(), every_file()
    assert files_before, "the demo has uploaded evidence and documents"
    assert sum(len(r) for r in rows_before.values()) > 1000

    result = backup_create()
    wipe()
    assert every_file() == {}
    assert every_row()["accounts_user"] == []

    restored = backup_restore(archive_path=result.path)

    assert every_row() == rows_before
    assert every_file() == files_before
    assert restored.files == len(files_before)
    assert restored.rows == sum(len(r) for r in rows_before.values())
    assert restored.mismatches == []
    assert restored.erasures_reapplied == 0


def test_the_archive_holds_a_dump_every_upload_and_an_exact_manifest(backup_env, django_user_model):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    django_user_model.objects.create_user(username="ada", password="x")
    default_storage.save("checklists/evidence/" + "a" * 32 + ".txt", ContentFile(b"Policy v1\n"))
    default_storage.save("funding/documents/" + "b" * 32 + ".pdf", ContentFile(b"%PDF-1.4 x"))

    result = backup_create()

    assert result.path.parent == backup_env / "backups"
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert [p.name for p in result.path.parent.iterdir()] == [result.path.name]  # no leftovers
    with tarfile.open(result.path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile(manifest["database"]["member"]).read()
    assert names[-1] == "manifest.json"
    assert sorted(names) == sorted(
        [
            manifest["database"]["member"],
            "files/checklists/evidence/" + "a" * 32 + ".txt",
            "files/funding/documents/" + "b" * 32 + ".pdf",
            "manifest.json",
        ]
    )
    assert manifest["database"]["sha256"] == hashlib.sha256(dump).hexdigest()
    assert manifest["database"]["size"] == len(dump)
    assert manifest["files"] == {
        "checklists/evidence/" + "a" * 32 + ".txt": {
            "sha256": hashlib.sha256(b"Policy v1\n").hexdigest(),
            "size": 10,
        },
        "funding/documents/" + "b" * 32 + ".pdf": {
            "sha256": hashlib.sha256(b"%PDF-1.4 x").hexdigest(),
            "size": 10,
        },
    }
    counts = {table: len(rows) for table, rows in every_row().items()}
    assert manifest["tables"] == counts
    assert manifest["tables"]["accounts_user"] == 1
    assert "backups.0001_initial" in manifest["migrations"]


def test_make_backup_and_make_restore_commands_say_what_they_did(backup_env, django_user_model):
    from io import StringIO

    django_user_model.objects.create_user(username="ada", password="x")
    out = StringIO()
    call_command("backup", stdout=out)
    (archive,) = (backup_env / "backups").iterdir()
    assert out.getvalue().startswith(f"Wrote {archive}: ")
    wipe()

    out = StringIO()
    version = cache.get(refcache.VERSION_KEY)
    call_command("restore", str(archive), stdout=out)

    assert django_user_model.objects.get().username == "ada"
    # Reference data cached from before is never served again.
    assert cache.get(refcache.VERSION_KEY) not in (None, version)
    assert f"Restored {archive.name} (made " in out.getvalue()
    assert (
        "all matching the manifest. Erasure log: 0 entries, 0 records erased again."
        in out.getvalue()
    )
