"""The database's part of a backup: one consistent dump, the row count of every table in
that same state, and loading a dump back. SQLite through its online backup API,
PostgreSQL through ``pg_dump`` (custom format) and ``pg_restore``."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with argument lists
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections


class DatabaseBackupError(Exception):
    """The dump or the load failed; ``message`` says why in words a person can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Dump:
    engine: str  # "sqlite" or "postgresql"
    member: str  # the file's name inside the archive
    tables: dict[str, int]  # every table's row count, in the dumped state
    migrations: list[str]  # "app.name" of every applied migration, in the dumped state


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise DatabaseBackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _counts(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our own table names
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied(cursor, tables: list[str], quote) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute(f"SELECT app, name FROM {quote('django_migrations')}")  # noqa: S608
    return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [name for (name,) in rows]


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dump(directory: Path) -> Dump:
    """Write the database into ``directory``; counts and migrations describe the dump."""
    if engine() == "sqlite":
        return _sqlite_dump(directory)
    return _postgresql_dump(directory)


def _sqlite_dump(directory: Path) -> Dump:
    path = directory / "database.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # One step (pages=-1): the copy is one consistent state, however busy the source.
        connection.connection.backup(target)
        # Counted in the copy, so the counts are the dump's own.
        tables = _sqlite_tables(target)
        cursor = target.cursor()
        counts = _counts(cursor, tables, _sqlite_quote)
        migrations = _applied(cursor, tables, _sqlite_quote)
    finally:
        target.close()
    return Dump("sqlite", path.name, counts, migrations)


def _pg_command(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseBackupError(
            f"{name} was not found: install the PostgreSQL client tools of the server's "
            "major version (Debian: apt-get install postgresql-client)."
        )
    return found


def _pg_args_and_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise DatabaseBackupError(
            f"{what} failed (exit {result.returncode}): " + " / ".join(detail[-5:])
        )


def _postgresql_dump(directory: Path) -> Dump:
    path = directory / "database.pgdump"
    pg_dump = _pg_command("pg_dump")
    # A connection of our own, in a repeatable-read transaction whose snapshot pg_dump
    # shares: the counts and the dump see exactly the same rows, writes or not.
    own = connections.create_connection("default")
    try:
        own.set_autocommit(False)
        with own.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            tables = own.introspection.table_names(cursor)
            counts = _counts(cursor, tables, own.ops.quote_name)
            migrations = _applied(cursor, tables, own.ops.quote_name)
            args, env = _pg_args_and_env(own.settings_dict)
            _run(
                [
                    pg_dump,
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                    f"--dbname={own.settings_dict['NAME']}",
                ],
                env,
                "pg_dump",
            )
        own.rollback()
    finally:
        own.close()
    return Dump("postgresql", path.name, counts, migrations)


def load(path: Path, dump_engine: str) -> None:
    """Replace the configured database's contents with the dump at ``path``."""
    if dump_engine != engine():
        raise DatabaseBackupError(
            f"This archive holds a {dump_engine} database; this installation uses "
            f"{engine()}. Restore it into an installation on {dump_engine}."
        )
    if dump_engine == "sqlite":
        _sqlite_load(path)
    else:
        _postgresql_load(path)


def _sqlite_load(path: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise DatabaseBackupError("A restore cannot run inside a transaction.")
    source = sqlite3.connect(path)
    try:
        # Page by page into the live file (other processes see the whole change at once).
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise DatabaseBackupError(f"Loading the SQLite database failed: {error}") from error
    finally:
        source.close()


def _postgresql_load(path: Path) -> None:
    pg_restore = _pg_command("pg_restore")
    settings_dict = connection.settings_dict
    # Our own idle connections hold no locks, but a persistent one would keep stale state.
    connections.close_all()
    args, env = _pg_args_and_env(settings_dict)
    _run(
        [
            pg_restore,
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        env,
        "pg_restore",
    )


def table_counts() -> dict[str, int]:
    """Every table's row count in the configured database now."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":  # as in the dump: SQLite's own tables are not data
            tables = [t for t in tables if not t.startswith("sqlite_")]
        return _counts(cursor, tables, connection.ops.quote_name)
