"""A restore checks everything before it touches anything: a damaged or foreign archive,
a newer version's archive, or an installation that already holds data are refused with
a clear message and change nothing."""

import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from backups.services import RestoreError, backup_create, backup_restore
from backups.tests.snapshots import every_file, every_row, wipe

# Transactional (pg_dump and restores see committed data only); serialized rollback puts
# back the reference data the migrations wrote, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UPLOAD = "checklists/evidence/" + "d" * 32 + ".txt"


@pytest.fixture
def archive(backup_env, django_user_model):
    django_user_model.objects.create_user(username="ada", password="x")
    default_storage.save(UPLOAD, ContentFile(b"the real evidence\n"))
    return backup_create().path


def _rewrite(path, *, replace=None, add=None, manifest=None, rename=None):
    """A copy of the archive with a member's bytes replaced, a member added, or the
    manifest edited (its checksums left as they were)."""
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    out = path.with_name("tampered.tar.gz")
    with tarfile.open(out, "w:gz") as tar:
        for member, data in members:
            if member.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            data = (replace or {}).get(member.name, data)
            member.name = (rename or {}).get(member.name, member.name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def _refused(path, message, *, force=True):
    rows, files = every_row(), every_file()
    with pytest.raises(RestoreError) as refused:
        backup_restore(archive_path=path, force=force)
    assert message in refused.value.message
    assert every_row() == rows
    assert every_file() == files
    return refused.value.message


def test_an_installation_holding_data_is_refused_without_force(archive, django_user_model):
    django_user_model.objects.create_user(username="bob", password="x")

    message = _refused(archive, "", force=False)

    assert message == (
        "This installation is not empty (it holds 2 user accounts and 1 uploaded file); "
        "nothing was restored. Restore into a new installation, or use --force to replace "
        "everything in this one."
    )


def test_force_replaces_an_installation_that_holds_data(archive, django_user_model):
    django_user_model.objects.create_user(username="bob", password="x")
    default_storage.delete(UPLOAD)
    default_storage.save(UPLOAD, ContentFile(b"changed since"))

    backup_restore(archive_path=archive, force=True)

    assert list(django_user_model.objects.values_list("username", flat=True)) == ["ada"]
    assert every_file() == {UPLOAD: b"the real evidence\n"}


def test_a_changed_upload_fails_its_checksum_before_anything_is_touched(archive):
    tampered = _rewrite(archive, replace={"files/" + UPLOAD: b"forged evidence\n"})
    wipe()

    message = _refused(tampered, "failed its checksums, so nothing was restored", force=False)

    assert f"files/{UPLOAD} does not match its checksum" in message


def test_a_changed_database_dump_fails_its_checksum(archive):
    member = json.loads(tarfile.open(archive).extractfile("manifest.json").read())["database"]
    dump = tarfile.open(archive).extractfile(member["member"]).read()
    middle = len(dump) // 2
    changed = dump[:middle] + bytes([dump[middle] ^ 0xFF]) + dump[middle + 1 :]
    tampered = _rewrite(archive, replace={member["member"]: changed})

    _refused(tampered, f"{member['member']} does not match its checksum")


def test_a_file_missing_from_the_manifest_or_the_archive_is_refused(archive):
    _refused(
        _rewrite(archive, add={"files/extra.txt": b"x"}),
        "files/extra.txt is in the archive but not in its manifest",
    )
    gone = _rewrite(
        archive,
        manifest=lambda m: {**m, "files": {**m["files"], "a/b.txt": {"sha256": "0", "size": 1}}},
    )
    _refused(gone, "files/a/b.txt is missing")


@pytest.mark.parametrize(
    "name",
    ["../escape.txt", "/etc/cron.d/evil", "files/../../escape.txt"],
)
def test_a_path_out_of_the_archive_is_refused(archive, name):
    _refused(_rewrite(archive, add={name: b"x"}), "which is not a plain file inside the archive")


def test_an_unsafe_name_in_the_manifest_is_refused(archive):
    tampered = _rewrite(
        archive, manifest=lambda m: {**m, "files": {"../x": {"sha256": "0", "size": 1}}}
    )
    _refused(tampered, "its manifest names an unsafe file path '../x'")


def test_an_archive_of_a_newer_version_is_refused(archive):
    newer = _rewrite(
        archive, manifest=lambda m: {**m, "migrations": [*m["migrations"], "ventures.9999_future"]}
    )
    _refused(newer, "made by a newer version of SEiR Pipeline")


def test_an_archive_of_another_database_engine_is_refused(archive):
    from django.db import connection

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    foreign = _rewrite(
        archive,
        manifest=lambda m: {
            **m,
            "database": {**m["database"], "engine": other, "member": member[other]},
        },
        rename={member[connection.vendor]: member[other]},
    )

    message = _refused(foreign, f"This archive holds a {other} database")

    assert message.endswith(f"restore it into an installation on {other}.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an archive at all", "cannot be read as a .tar.gz archive"),
        (b"", "cannot be read as a .tar.gz archive"),
    ],
)
def test_a_file_that_is_not_an_archive_is_refused(backup_env, content, message):
    path = backup_env / "junk.tar.gz"
    path.write_bytes(content)
    _refused(path, message)


def test_a_gzip_without_our_manifest_is_refused(backup_env):
    path = backup_env / "other.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        tar.addfile(info, io.BytesIO(b""))
    _refused(path, "has no readable manifest.json")


def test_the_command_answers_a_missing_archive_with_a_message_not_a_traceback(backup_env):
    with pytest.raises(CommandError, match=r"There is no file .*nowhere\.tar\.gz\."):
        call_command("restore", str(backup_env / "nowhere.tar.gz"))
    with pytest.raises(CommandError, match="is a directory, not an archive"):
        call_command("restore", str(backup_env))


def test_a_backup_that_fails_halfway_leaves_no_archive_behind(backup_env, monkeypatch):
    from backups.services import BackupError

    default_storage.save(UPLOAD, ContentFile(b"the real evidence\n"))
    from django.core.files.storage import FileSystemStorage

    real_size = FileSystemStorage.size
    monkeypatch.setattr(FileSystemStorage, "size", lambda self, name: real_size(self, name) + 5)

    with pytest.raises(BackupError, match=f"The upload {UPLOAD} changed while it was copied."):
        backup_create()

    assert list((backup_env / "backups").iterdir()) == []


def test_a_failed_dump_is_a_message_and_leaves_nothing(backup_env, monkeypatch):
    from backups import database
    from backups.services import BackupError

    def fail(directory):
        raise database.DatabaseBackupError("pg_dump failed (exit 1): server version mismatch")

    monkeypatch.setattr(database, "dump", fail)
    with pytest.raises(CommandError, match="pg_dump failed"):
        call_command("backup")
    with pytest.raises(BackupError):
        backup_create()
    assert list((backup_env / "backups").iterdir()) == []
