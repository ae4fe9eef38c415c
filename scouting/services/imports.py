"""CSV import of people and organisations: a preview with row-by-row errors, then an
all-or-nothing import (one transaction; one bad row imports nothing and names the row).

A row that may repeat a record already in the directory (same email, same name, a
similar name in the same organisation) or an earlier row of the file is *flagged*: the
person chooses to skip it (the default), update the existing record with the fields they
tick, or add it as a new record. So importing the same file twice adds nothing.

Reading and checking the file (the preview) is in ``import_preview``; this module holds
the decisions on flagged rows and the import itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Programme, User

from ..permissions import require_manage_programme
from .common import record
from .directory import organisation_create, organisation_update, person_create, person_update
from .import_preview import (  # noqa: F401  (re-exported: reading and checking live there)
    ADD,
    COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    REQUIRED,
    SKIP,
    UPDATE,
    ImportRefused,
    ImportRow,
    import_preview,
)


@dataclass
class Decision:
    """What to do with a flagged row: skip it, add it, or update record ``target``
    with only the ``fields`` ticked."""

    action: str = SKIP
    target: int | None = None
    fields: frozenset[str] = frozenset()


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    skipped: int = 0


@transaction.atomic
def directory_import(
    *,
    actor: User,
    programme: Programme,
    kind: str,
    text: str,
    decisions: dict[int, Decision] | None = None,
) -> ImportResult:
    """Import every row or none: a bad row refuses the whole file, naming the row.

    A row flagged as a possible duplicate follows ``decisions[row number]`` (skipped
    when there is none); every other row is added."""
    require_manage_programme(actor, programme.pk)
    # Imports into one programme queue one behind the other (a double click on
    # "Import"), so the duplicate check below sees the rows the first one added. NO KEY
    # UPDATE: rows that point at the programme can still be added meanwhile.
    Programme.objects.select_for_update(no_key=True).filter(pk=programme.pk).first()
    rows = import_preview(programme=programme, kind=kind, text=text)
    bad = [r for r in rows if not r.ok]
    if bad:
        first = bad[0]
        raise ImportRefused(
            f"Nothing was imported: row {first.number} {first.errors[0].rstrip('.')}."
            + (
                f" {len(bad) - 1} other row{'s' if len(bad) > 2 else ''} also need fixing."
                if len(bad) > 1
                else ""
            ),
            rows,
        )
    decisions = decisions or {}
    result = ImportResult()
    for row in rows:
        decision = decisions.get(row.number, Decision()) if row.flagged else Decision(ADD)
        if decision.action == ADD:
            create = organisation_create if kind == "organisations" else person_create
            create(actor=actor, programme=programme, record_event=False, **row.values)
            result.added += 1
        elif decision.action == UPDATE:
            result.updated += _update(actor, kind, row, decision, rows)
        else:
            result.skipped += 1
    record(
        actor,
        "directory_imported",
        programme,
        programme=programme,
        data={
            "kind": kind,
            "rows": result.added,
            "updated": result.updated,
            "skipped": result.skipped,
        },
    )
    return result


def _update(actor: User, kind: str, row: ImportRow, decision: Decision, rows) -> int:
    """Update the chosen record with the ticked fields only; 1 if anything changed."""
    match = next((m for m in row.matches if m[0].pk == decision.target), None)
    if match is None:
        raise ImportRefused(
            f"Nothing was imported: row {row.number} no longer matches the record chosen "
            "to update. Check the file again.",
            rows,
        )
    record_, _why, changes = match
    chosen = [name for name in changes if name in decision.fields]
    if not chosen:
        return 0
    values = {name: row.values[name] for name in chosen if name != "tags"}
    if kind == "organisations":
        return int(
            bool(
                organisation_update(
                    actor=actor, organisation=record_, changes=values, record_event=False
                )
            )
        )
    if "consent_to_contact" in values:
        values["consent_date"] = row.values["consent_date"] or datetime.date.today()
    if "tags" in chosen:
        values["tags"] = list({*record_.tags.all(), *row.values["tags"]})
    return int(bool(person_update(actor=actor, person=record_, changes=values, record_event=False)))
