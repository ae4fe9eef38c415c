"""CSV import of people and organisations: a preview with row-by-row errors, then an
all-or-nothing import (one transaction; one bad row imports nothing and names the row)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Programme, User

from ..models import Organisation, Person, Sector, Tag
from ..permissions import require_manage_programme
from .common import ScoutingError, record
from .directory import organisation_create, person_create, person_duplicates

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 5_000

COLUMNS = {
    "organisations": ["name", "sector", "area", "website"],
    "people": [
        "name",
        "organisation",
        "job_title",
        "email",
        "phone",
        "tags",
        "consent_to_contact",
        "consent_date",
        "notes",
    ],
}
REQUIRED = {"organisations": ["name"], "people": ["name"]}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class ImportRefused(ScoutingError):
    def __init__(self, message: str, rows: list[ImportRow] | None = None):
        super().__init__(message)
        self.rows = rows or []


@dataclass
class ImportRow:
    number: int  # the spreadsheet row (the header is row 1)
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(text: str, kind: str) -> list[ImportRow]:
    if kind not in COLUMNS:
        raise ImportRefused("Choose what the file holds: people or organisations.")
    if len(text.encode("utf-8", "replace")) > MAX_IMPORT_BYTES:
        raise ImportRefused("The file is larger than 1 MB; split it into smaller files.")
    text = text.lstrip("\ufeff").replace("\x00", "")
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED[kind] if c not in headers]
    if missing:
        raise ImportRefused(
            f"The first row must name the columns; missing: {', '.join(missing)}. "
            f"Expected columns: {', '.join(COLUMNS[kind])}."
        )
    reader.fieldnames = headers
    rows = []
    try:
        for line in reader:
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ImportRefused(f"The file has more than {MAX_IMPORT_ROWS} rows; split it.")
            raw = {k: (line.get(k) or "").strip() for k in COLUMNS[kind] if k}
            if not any(raw.values()):
                continue
            rows.append(ImportRow(number=reader.line_num, raw=raw))
    except csv.Error as error:
        raise ImportRefused(f"The file is not a readable CSV: {error}.") from error
    if not rows:
        raise ImportRefused("The file has no rows to import.")
    return rows


def _sector(value: str) -> str | None:
    value = value.strip()
    if not value:
        return Sector.OTHER
    for code, label in Sector.choices:
        if value.lower() in (code, label.lower()):
            return code
    return None


def _check_organisations(programme: Programme, rows: list[ImportRow]) -> None:
    existing = {
        n.casefold()
        for n in Organisation.objects.filter(programme=programme).values_list("name", flat=True)
    }
    seen: dict[str, int] = {}
    for row in rows:
        sector = _sector(row.raw["sector"])
        if sector is None:
            row.errors.append(f"Unknown sector “{row.raw['sector']}”.")
        row.values = {
            "name": row.raw["name"],
            "sector": sector or Sector.OTHER,
            "area": row.raw["area"],
            "website": row.raw["website"],
        }
        _validate(row, Organisation(programme=programme, **row.values))
        key = row.raw["name"].casefold()
        if key in existing:
            row.warnings.append("An organisation with this name already exists.")
        if key in seen:
            row.warnings.append(f"Same name as row {seen[key]}.")
        seen.setdefault(key, row.number)


def _yes_no(row: ImportRow, column: str) -> bool:
    value = row.raw[column].lower()
    if value in _YES:
        return True
    if value not in _NO:
        row.errors.append(f"{column.replace('_', ' ').capitalize()} must be yes or no.")
    return False


def _check_people(programme: Programme, rows: list[ImportRow]) -> None:
    organisations = {o.name.casefold(): o for o in Organisation.objects.filter(programme=programme)}
    tags = {}
    for tag in Tag.objects.filter(is_active=True):
        tags[tag.code.casefold()] = tags[tag.name.casefold()] = tag
    seen_emails: dict[str, int] = {}
    for row in rows:
        organisation = None
        if row.raw["organisation"]:
            organisation = organisations.get(row.raw["organisation"].casefold())
            if organisation is None:
                row.errors.append(
                    f"Unknown organisation “{row.raw['organisation']}”: import or add it first."
                )
        row_tags = []
        for name in filter(None, (t.strip() for t in row.raw["tags"].split(";"))):
            if name.casefold() in tags:
                row_tags.append(tags[name.casefold()])
            else:
                row.errors.append(f"Unknown tag “{name}”.")
        consent_date = None
        if row.raw["consent_date"]:
            try:
                consent_date = datetime.date.fromisoformat(row.raw["consent_date"])
            except ValueError:
                row.errors.append("Consent date must look like 2026-03-31.")
        row.values = {
            "name": row.raw["name"],
            "organisation": organisation,
            "job_title": row.raw["job_title"],
            "email": row.raw["email"].lower(),
            "phone": row.raw["phone"],
            "notes": row.raw["notes"],
            "consent_to_contact": _yes_no(row, "consent_to_contact"),
            "consent_date": consent_date,
            "tags": row_tags,
        }
        fields = {k: v for k, v in row.values.items() if k != "tags"}
        _validate(row, Person(programme=programme, **fields))
        email = row.values["email"]
        if email and email in seen_emails:
            row.warnings.append(f"Same email as row {seen_emails[email]}.")
        if email:
            seen_emails.setdefault(email, row.number)
        if row.ok and (email or organisation):
            for person, why in person_duplicates(
                programme_id=programme.pk,
                name=row.values["name"],
                email=email,
                organisation_id=organisation.pk if organisation else None,
            ):
                row.warnings.append(f"Possible duplicate of {person.name} ({why}).")


def _validate(row: ImportRow, instance) -> None:
    try:
        instance.full_clean(exclude=["programme"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = name.replace("_", " ") if name != "__all__" else ""
            row.errors.extend(f"{label.capitalize()}: {m}" if label else m for m in messages)


def import_preview(*, programme: Programme, kind: str, text: str) -> list[ImportRow]:
    """Parse and check every row, writing nothing."""
    rows = _read(text, kind)
    (_check_organisations if kind == "organisations" else _check_people)(programme, rows)
    return rows


@transaction.atomic
def directory_import(*, actor: User, programme: Programme, kind: str, text: str) -> int:
    """Import every row or none: a bad row refuses the whole file, naming the row."""
    require_manage_programme(actor, programme.pk)
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
    for row in rows:
        if kind == "organisations":
            organisation_create(actor=actor, programme=programme, record_event=False, **row.values)
        else:
            person_create(actor=actor, programme=programme, record_event=False, **row.values)
    record(
        actor,
        "directory_imported",
        programme,
        programme=programme,
        data={"kind": kind, "rows": len(rows)},
    )
    return len(rows)
