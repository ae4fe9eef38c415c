"""Everything an installation holds, for comparing before and after a restore."""

from django.core.files.storage import default_storage
from django.db import connection

from backups.services import stored_names


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table (models, many-to-many tables, django_migrations...),
    in a stable order."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def every_file() -> dict[str, bytes]:
    files = {}
    for name in stored_names(default_storage):
        with default_storage.open(name, "rb") as fh:
            files[name] = fh.read()
    return files


def wipe() -> None:
    """What losing the installation leaves: empty tables (as a new one after migrate
    has, minus its reference data) and no uploads."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    for name in list(stored_names(default_storage)):
        default_storage.delete(name)
