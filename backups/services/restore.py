"""Restoring an archive into an empty installation (``make restore ARCHIVE=...``).

Order: unpack and check every checksum (nothing touched yet); refuse a different
database engine, an archive from a newer version, or an installation that already
holds data (unless ``force``); read the erasure log (table and file) before the database
is replaced; load the database and the uploads; compare every table's row count with the
manifest; migrate (an older archive meets newer code); re-apply every logged erasure.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

from seir import refcache

from .. import archive, database
from ..erasure import erasures_from_database, erasures_from_file, erasures_merge, erasures_reapply
from .create import stored_names


class RestoreError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    erasures_logged: int = 0
    erasures_reapplied: int = 0
    created_at: str = ""
    mismatches: list[str] = field(default_factory=list)


def installation_contents(storage=None) -> list[str]:
    """What the installation already holds that a restore would replace (empty: nothing).
    A new installation has reference data from its migrations but no user and no upload."""
    storage = storage or default_storage
    held = []
    try:
        users = get_user_model()._default_manager.count()
    except DatabaseError:  # no tables yet: a new database
        users = 0
    if users:
        held.append(f"{users} user account{'s' if users != 1 else ''}")
    files = sum(1 for _ in stored_names(storage))
    if files:
        held.append(f"{files} uploaded file{'s' if files != 1 else ''}")
    return held


def _check_compatible(manifest: dict) -> None:
    try:
        engine = database.engine()
    except database.DatabaseBackupError as error:
        raise RestoreError(error.message) from error
    if manifest["database"]["engine"] != engine:
        raise RestoreError(
            f"This archive holds a {manifest['database']['engine']} database and this "
            f"installation uses {engine}: restore it into an installation on "
            f"{manifest['database']['engine']}."
        )
    known = {
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise RestoreError(
            "This archive was made by a newer version of SEiR Pipeline (it has migrations "
            f"this version does not know: {', '.join(unknown[:5])}). Upgrade first."
        )


def _forget_cached_data() -> None:
    """The database was replaced outside the ORM, which no cache noticed: a new version
    for the cached reference data (never a flush: Redis may hold the broker's queues in
    the same database)."""
    ContentType.objects.clear_cache()
    refcache.bump()


def _restore_files(unpacked: archive.Unpacked, storage) -> int:
    for name in unpacked.manifest["files"]:
        if storage.exists(name):
            storage.delete(name)
        with unpacked.file_path(name).open("rb") as fh:
            saved = storage.save(name, File(fh, name=name))
        if saved != name:
            raise RestoreError(f"The upload {name} was stored as {saved}; restore stopped.")
    return len(unpacked.manifest["files"])


def _mismatches(manifest: dict, storage) -> list[str]:
    found = database.table_counts()
    problems = [
        f"table {table}: {found.get(table, 'missing')} rows, the manifest says {count}"
        for table, count in sorted(manifest["tables"].items())
        if found.get(table) != count
    ]
    for name, entry in sorted(manifest["files"].items()):
        with storage.open(name, "rb") as fh:
            reader = archive.HashingReader(fh)
            while reader.read(archive.CHUNK):
                pass
        if (reader.digest.hexdigest(), reader.size) != (entry["sha256"], entry["size"]):
            problems.append(f"upload {name} differs from the archive")
    return problems


def backup_restore(*, archive_path: Path, force: bool = False) -> RestoreResult:
    """Restore ``archive_path`` into this installation. Raises ``RestoreError`` (with
    nothing changed) when the archive is damaged, from elsewhere, or the installation is
    not empty and ``force`` is not given."""
    storage = default_storage
    with tempfile.TemporaryDirectory(prefix="seir-restore-", dir=settings.VAR_DIR) as work:
        try:
            unpacked = archive.unpack(Path(archive_path), Path(work))
        except archive.ArchiveError as error:
            raise RestoreError(error.message) from error
        manifest = unpacked.manifest
        _check_compatible(manifest)
        if connection.in_atomic_block:
            raise RestoreError("A restore cannot run inside a transaction.")
        held = installation_contents(storage)
        if held and not force:
            raise RestoreError(
                f"This installation is not empty (it holds {' and '.join(held)}); nothing "
                "was restored. Restore into a new installation, or use --force to replace "
                "everything in this one."
            )
        # Read before the database is replaced: erasures made since the backup.
        erasures = erasures_merge(erasures_from_database(), erasures_from_file())
        try:
            database.load(unpacked.database_path, manifest["database"]["engine"])
        except database.DatabaseBackupError as error:
            raise RestoreError(error.message) from error
        _forget_cached_data()
        files = _restore_files(unpacked, storage)
        mismatches = _mismatches(manifest, storage)
    call_command("migrate", interactive=False, verbosity=0)
    erasures = erasures_merge(erasures, erasures_from_database())
    reapplied = erasures_reapply(erasures)
    _forget_cached_data()
    result = RestoreResult(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=files,
        erasures_logged=len(erasures),
        erasures_reapplied=reapplied,
        created_at=manifest["created_at"],
        mismatches=mismatches,
    )
    if mismatches:
        raise RestoreError(
            "The archive was restored and every logged erasure re-applied, but it does not "
            "match its manifest: " + "; ".join(mismatches[:10]) + "."
        )
    return result
