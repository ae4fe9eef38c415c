"""Erasures that outlive a restore.

An app that erases personal data registers how to erase a record again
(``register_erasure("scouting.person", reapply)`` in its ``AppConfig.ready``) and logs
each erasure with ``erasure_log(...)`` inside the erasure's transaction. The log names
the record (model, primary key, the ids merged into it) and the moment, nothing else.

It is kept twice: the ``ErasureRecord`` table (written with the erasure, so it is exact)
and an append-only file under the var directory (``SEIR_ERASURE_LOG``, appended after
commit), which no database restore touches. Before a restore replaces the database it
reads both; afterwards it writes back every entry the archive lacks and re-applies them
all, so restoring a backup taken before an erasure never brings the person back.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.dateparse import parse_datetime

from .models import ErasureRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    model: str
    object_id: str
    erased_at: datetime
    related_ids: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        return (self.model, self.object_id)

    def as_json(self) -> dict:
        return {
            "model": self.model,
            "object_id": self.object_id,
            "related_ids": list(self.related_ids),
            "erased_at": self.erased_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict) -> Erasure:
        erased_at = parse_datetime(str(data["erased_at"]))
        if erased_at is None or erased_at.tzinfo is None:
            raise ValueError(f"not an aware date and time: {data['erased_at']!r}")
        return cls(
            model=str(data["model"]),
            object_id=str(data["object_id"]),
            erased_at=erased_at,
            related_ids=tuple(str(i) for i in data.get("related_ids") or ()),
        )


# model label -> function that erases that record (and its related ids) again and
# returns how many records it erased now (0 when they are gone or already erased).
_REAPPLIERS: dict[str, Callable[[Erasure], int]] = {}


def register_erasure(model: str, reapply: Callable[[Erasure], int]) -> None:
    _REAPPLIERS[model] = reapply


def erasure_log(
    *, model: str, object_id, erased_at: datetime, related_ids: Iterable = ()
) -> ErasureRecord:
    """Log an erasure; call it inside the erasure's transaction."""
    if model not in _REAPPLIERS:
        raise ValueError(f"No erasure registered for {model!r}: register it in ready().")
    erasure = Erasure(
        model=model,
        object_id=str(object_id),
        erased_at=erased_at,
        related_ids=tuple(str(i) for i in related_ids),
    )
    record = ErasureRecord.objects.create(
        model=erasure.model,
        object_id=erasure.object_id,
        related_ids=list(erasure.related_ids),
        erased_at=erasure.erased_at,
    )
    transaction.on_commit(partial(_append_to_file, [erasure]))
    return record


def _log_path() -> Path | None:
    path = getattr(settings, "SEIR_ERASURE_LOG", None)
    return Path(path) if path else None


def _append_to_file(erasures: list[Erasure]) -> None:
    path = _log_path()
    if path is None or not erasures:
        return
    lines = "".join(json.dumps(e.as_json(), sort_keys=True) + "\n" for e in erasures)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, lines.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # the table still holds the entry; a restore from it rewrites the file
        log.exception("Could not append to the erasure log file %s", path)


def erasures_from_file() -> list[Erasure]:
    """The file's entries; a line that cannot be read (cut short by a crash) is skipped."""
    path = _log_path()
    if path is None or not path.exists():
        return []
    erasures = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                erasures.append(Erasure.from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                log.warning("Erasure log %s line %d cannot be read; skipped", path, number)
    return erasures


def erasures_from_database() -> list[Erasure]:
    """The table's entries, or none when the database has no such table yet (a new one)."""
    try:
        rows = list(
            ErasureRecord.objects.values_list("model", "object_id", "erased_at", "related_ids")
        )
    except DatabaseError:
        return []
    return [
        Erasure(model=m, object_id=o, erased_at=at, related_ids=tuple(str(i) for i in rel or ()))
        for m, o, at, rel in rows
    ]


def erasures_merge(*sources: Iterable[Erasure]) -> list[Erasure]:
    """One entry per record: the earliest moment, every related id; oldest first."""
    merged: dict[tuple[str, str], Erasure] = {}
    for erasure in (e for source in sources for e in source):
        seen = merged.get(erasure.key)
        if seen is None:
            merged[erasure.key] = erasure
            continue
        related = tuple(dict.fromkeys(seen.related_ids + erasure.related_ids))
        merged[erasure.key] = Erasure(
            model=seen.model,
            object_id=seen.object_id,
            erased_at=min(seen.erased_at, erasure.erased_at),
            related_ids=related,
        )
    return sorted(merged.values(), key=lambda e: (e.erased_at, e.model, e.object_id))


def erasures_reapply(erasures: list[Erasure]) -> int:
    """Make the log hold ``erasures`` (table and file) and erase each record again.
    Returns how many records were erased now. Idempotent."""
    unknown = sorted({e.model for e in erasures} - set(_REAPPLIERS))
    if unknown:
        raise ValueError(f"The erasure log names models this version cannot erase: {unknown}")
    in_file = {e.key for e in erasures_from_file()}
    with transaction.atomic():
        stored = {(r.model, r.object_id): r for r in ErasureRecord.objects.select_for_update()}
        for erasure in erasures:
            record = stored.get(erasure.key)
            if record is None:
                ErasureRecord.objects.create(
                    model=erasure.model,
                    object_id=erasure.object_id,
                    related_ids=list(erasure.related_ids),
                    erased_at=erasure.erased_at,
                )
            elif set(erasure.related_ids) - set(record.related_ids):
                record.related_ids = list(
                    dict.fromkeys([*record.related_ids, *erasure.related_ids])
                )
                record.save(update_fields=["related_ids"])
        _sequences_past_logged_ids(erasures)
        erased = sum(_REAPPLIERS[e.model](e) for e in erasures)
        transaction.on_commit(
            partial(_append_to_file, [e for e in erasures if e.key not in in_file])
        )
    return erased


def _sequences_past_logged_ids(erasures: list[Erasure]) -> None:
    """An older database's id sequences may stand below an erased record's id: a new
    record would then get that id, and the next restore would erase it. Move each past."""
    highest: dict[str, int] = {}
    for erasure in erasures:
        for value in (erasure.object_id, *erasure.related_ids):
            if value.isdigit() and int(value) > 0:
                highest[erasure.model] = max(highest.get(erasure.model, 0), int(value))
    with connection.cursor() as cursor:
        for label, top in highest.items():
            model = apps.get_model(label)
            table, column = model._meta.db_table, model._meta.pk.column
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                (sequence,) = cursor.fetchone()
                if sequence:
                    cursor.execute(
                        "SELECT setval(%s, GREATEST(%s, COALESCE("
                        "pg_sequence_last_value(%s::regclass), 0)))",
                        [sequence, top, sequence],
                    )
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                if row is None:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top]
                    )
                elif row[0] < top:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top, table]
                    )
