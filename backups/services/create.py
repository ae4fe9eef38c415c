"""Making an archive (``make backup``, the nightly task) and keeping the last N."""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from .. import archive, database

ARCHIVE_NAME = re.compile(r"^seir-backup-\d{8}T\d{6}\.\d{6}Z\.tar\.gz$")
PARTIAL_GRACE = timedelta(days=1)


class BackupError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())


def backup_directory() -> Path:
    return Path(settings.SEIR_BACKUP_DIR)


def stored_names(storage=None, directory: str = "") -> Iterator[str]:
    """Every file name in the uploads' storage, sorted."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # nothing uploaded yet: the directory is not made
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from stored_names(storage, f"{directory}/{sub}" if directory else sub)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, mtime
    tar.addfile(info, io.BytesIO(data))


def _add_uploads(tar: tarfile.TarFile, storage, mtime: float) -> dict[str, dict]:
    files = {}
    for name in stored_names(storage):
        info = tarfile.TarInfo(archive.FILES_PREFIX + name)
        info.size, info.mode, info.mtime = storage.size(name), 0o600, mtime
        with storage.open(name, "rb") as fh:
            reader = archive.HashingReader(fh)
            try:
                tar.addfile(info, reader)
            except OSError as error:  # shorter than its size said: changed while read
                raise BackupError(f"The upload {name} changed while it was copied.") from error
        files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
    return files


def backup_create(*, directory: Path | None = None, now: datetime | None = None) -> BackupResult:
    """Write one archive: the database (one consistent dump), every upload, a manifest.
    Written under a temporary name and renamed when complete, so a crash never leaves
    something that looks like an archive. Readable by the app's user only."""
    directory = Path(directory or backup_directory())
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or timezone.now()
    final = directory / f"seir-backup-{now.astimezone(UTC):%Y%m%dT%H%M%S.%fZ}.tar.gz"
    partial = final.with_name(final.name + ".partial")
    storage = default_storage
    try:
        with tempfile.TemporaryDirectory(prefix="seir-backup-", dir=directory) as work:
            try:
                dump = database.dump(Path(work))
            except database.DatabaseBackupError as error:
                raise BackupError(error.message) from error
            dump_path = Path(work) / dump.member
            digest, size = archive.sha256_file(dump_path)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                    mtime = now.timestamp()
                    tar.add(dump_path, arcname=dump.member)
                    files = _add_uploads(tar, storage, mtime)
                    manifest = {
                        "format": archive.FORMAT,
                        "version": archive.VERSION,
                        "created_at": now.isoformat(),
                        "database": {
                            "engine": dump.engine,
                            "member": dump.member,
                            "sha256": digest,
                            "size": size,
                        },
                        "tables": dump.tables,
                        "migrations": dump.migrations,
                        "files": files,
                    }
                    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    _add_bytes(tar, archive.MANIFEST, body, mtime)
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(final, manifest)


def backups_prune(
    *, keep: int, directory: Path | None = None, now: datetime | None = None
) -> list[Path]:
    """Delete all but the newest ``keep`` archives (and unfinished ones over a day old);
    returns what was deleted. Only names this module writes are ever touched."""
    if keep < 1:
        raise ValueError("Keep at least one archive.")
    directory = Path(directory or backup_directory())
    if not directory.is_dir():
        return []
    archives = sorted(p for p in directory.iterdir() if ARCHIVE_NAME.match(p.name))
    doomed = archives[:-keep]
    cutoff = (now or timezone.now()).timestamp() - PARTIAL_GRACE.total_seconds()
    doomed += [
        p
        for p in directory.iterdir()
        if p.name.endswith(".partial")
        and ARCHIVE_NAME.match(p.name.removesuffix(".partial"))
        and p.stat().st_mtime < cutoff
    ]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
