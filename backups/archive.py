"""The archive: one .tar.gz holding the database dump, the private uploads and a
manifest (JSON) with every table's row count and a SHA-256 of the dump and of each file.

Layout: ``database.sqlite3`` or ``database.pgdump``, ``files/<storage name>`` for each
upload, and ``manifest.json`` last (it is written once every checksum is known).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
FORMAT = "seir-backup"
VERSION = 1
FILES_PREFIX = "files/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be used; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class HashingReader:
    """Reads a file object through, keeping its SHA-256 and size (one pass per file)."""

    def __init__(self, fileobj):
        self._fileobj = fileobj
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fileobj.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def safe_name(name: str) -> bool:
    """A relative path with no way out of the directory it is unpacked into."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and "\\" not in name
        and "\x00" not in name
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


@dataclass(frozen=True)
class Unpacked:
    directory: Path
    manifest: dict

    @property
    def database_path(self) -> Path:
        return self.directory / self.manifest["database"]["member"]

    def file_path(self, name: str) -> Path:
        return self.directory / (FILES_PREFIX + name)


def _manifest_problems(manifest) -> list[str]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return ["it is not a SEiR Pipeline backup (no manifest of ours)"]
    if manifest.get("version") != VERSION:
        return [f"its format version {manifest.get('version')!r} is not {VERSION}"]
    problems = []
    database = manifest.get("database")
    if (
        not isinstance(database, dict)
        or database.get("engine") not in DATABASE_MEMBERS
        or database.get("member") != DATABASE_MEMBERS[database.get("engine")]
    ):
        problems.append("its manifest does not describe a database dump")
    for key in ("tables", "files"):
        if not isinstance(manifest.get(key), dict):
            problems.append(f"its manifest has no {key}")
    if not isinstance(manifest.get("migrations"), list):
        problems.append("its manifest has no migrations")
    for name in manifest.get("files") or {}:
        if not safe_name(name):
            problems.append(f"its manifest names an unsafe file path {name!r}")
    return problems


def unpack(archive: Path, directory: Path) -> Unpacked:
    """Unpack ``archive`` into ``directory`` and check every checksum against the
    manifest. Raises ``ArchiveError`` listing what is wrong; changes nothing else."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                if not member.isfile() or not safe_name(member.name):
                    raise ArchiveError(
                        f"{archive.name} holds {member.name!r}, which is not a plain file "
                        "inside the archive: it was not written by `manage.py backup`."
                    )
            tar.extractall(directory, filter="data")
    except FileNotFoundError as error:
        raise ArchiveError(f"There is no file {archive}.") from error
    except IsADirectoryError as error:
        raise ArchiveError(f"{archive} is a directory, not an archive.") from error
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveError(
            f"{archive.name} cannot be read as a .tar.gz archive ({error}): it is damaged "
            "or not a backup."
        ) from error
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ArchiveError(f"{archive.name} has no readable {MANIFEST}.") from error
    problems = _manifest_problems(manifest)
    if problems:
        raise ArchiveError(f"{archive.name} cannot be restored: " + "; ".join(problems) + ".")
    unpacked = Unpacked(directory, manifest)
    problems = _checksum_problems(unpacked, {m.name for m in members})
    if problems:
        raise ArchiveError(
            f"{archive.name} failed its checksums, so nothing was restored: "
            + "; ".join(problems[:10])
            + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")
            + "."
        )
    return unpacked


def _checksum_problems(unpacked: Unpacked, members: set[str]) -> list[str]:
    manifest = unpacked.manifest
    expected = {manifest["database"]["member"]: manifest["database"]}
    expected.update({FILES_PREFIX + n: entry for n, entry in manifest["files"].items()})
    problems = [
        f"{name} is in the archive but not in its manifest"
        for name in sorted(members - set(expected) - {MANIFEST})
    ]
    for name, entry in sorted(expected.items()):
        if name not in members:
            problems.append(f"{name} is missing")
            continue
        digest, size = sha256_file(unpacked.directory / name)
        if not isinstance(entry, dict) or (digest, size) != (
            entry.get("sha256"),
            entry.get("size"),
        ):
            problems.append(f"{name} does not match its checksum")
    return problems
