"""Reading and checking a CSV of people or organisations before an import, writing
nothing: each row's values and row-by-row errors, and the records (or earlier rows of the
file) it may repeat, which *flag* it for the person to decide on (``imports``)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from accounts.models import Programme

from ..models import Organisation, Person, Sector, Tag
from .common import ScoutingError
from .directory import normalise_name, person_duplicates

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
SKIP, UPDATE, ADD = "skip", "update", "add"
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
    # Existing records this row may repeat: (record, why, {field: (now, from the file)}).
    matches: list[tuple] = field(default_factory=list)
    repeats_row: int | None = None  # an earlier row of the file with the same email/name

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def flagged(self) -> bool:
        return bool(self.matches or self.repeats_row)

    @property
    def update_fields(self) -> list[tuple[str, str]]:
        """(field, "Label: new value") for every field an update could change, over all
        the matches: the ticks the person chooses from."""
        names: dict[str, str] = {}
        for _record, _why, changes in self.matches:
            for name, (_now, new) in changes.items():
                names.setdefault(name, f"{_label(name)}: {_text(new)}")
        return list(names.items())

    @property
    def choices(self) -> list[tuple[int, str, str]]:
        """(record id, "Name (record 12, same email)", "would change: ...") per match."""
        found = []
        for existing, why, changes in self.matches:
            would = (
                "would change " + ", ".join(_label(n).lower() for n in changes)
                if changes
                else "nothing in the file differs from it"
            )
            found.append((existing.pk, f"{existing.name} (record {existing.pk}, {why})", would))
        return found


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _text(value) -> str:
    if value is True:
        return "yes"
    return str(value)


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


def _differences(record, values: dict, fields) -> dict:
    """The fields whose value in the file is filled in and differs from the record's:
    what an update would change (a blank cell never erases anything)."""
    changes = {}
    for name in fields:
        new, now = values.get(name), getattr(record, name)
        if new in (None, "", False) or new == now:
            continue
        changes[name] = (now, new)
    return changes


def _check_organisations(programme: Programme, rows: list[ImportRow]) -> None:
    existing: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(programme=programme).order_by("pk"):
        existing.setdefault(normalise_name(organisation.name), []).append(organisation)
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
        key = normalise_name(row.raw["name"])
        for organisation in existing.get(key, [])[:5] if key else []:
            row.matches.append(
                (
                    organisation,
                    "same name",
                    _differences(organisation, row.values, ("sector", "area", "website")),
                )
            )
            row.warnings.append(f"Possible duplicate of {organisation.name} (same name).")
        if key in seen:
            row.repeats_row = seen[key]
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
    by_name: dict[str, list[int]] = {}
    for pk, name in Person.objects.filter(programme=programme, is_erased=False).values_list(
        "pk", "name"
    ):
        by_name.setdefault(normalise_name(name), []).append(pk)
    seen_emails: dict[str, int] = {}
    seen_names: dict[str, int] = {}
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
        name_key = normalise_name(row.values["name"])
        if email and email in seen_emails:
            row.repeats_row = seen_emails[email]
            row.warnings.append(f"Same email as row {seen_emails[email]}.")
        elif name_key and name_key in seen_names:
            row.repeats_row = seen_names[name_key]
            row.warnings.append(f"Same name as row {seen_names[name_key]}.")
        if email:
            seen_emails.setdefault(email, row.number)
        if name_key:
            seen_names.setdefault(name_key, row.number)
        if row.ok:
            _match_people(programme, row, by_name.get(name_key, []) if name_key else [])


def _match_people(programme: Programme, row: ImportRow, same_name: list[int]) -> None:
    organisation = row.values["organisation"]
    found = person_duplicates(
        programme_id=programme.pk,
        name=row.values["name"],
        email=row.values["email"],
        organisation_id=organisation.pk if organisation else None,
    )
    known = {person.pk for person, _why in found}
    extra = [pk for pk in same_name if pk not in known][:5]
    if extra:
        people = Person.objects.filter(pk__in=extra).select_related("organisation")
        found += [(person, "same name") for person in people.order_by("pk")]
    for person, why in found[:5]:
        changes = _differences(
            person, row.values, ("name", "organisation", "job_title", "email", "phone", "notes")
        )
        if row.values["consent_to_contact"] and not person.consent_to_contact:
            changes["consent_to_contact"] = (False, True)
        new_tags = [t for t in row.values["tags"] if t not in person.tags.all()]
        if new_tags:
            changes["tags"] = ("", ", ".join(t.name for t in new_tags))
        row.matches.append((person, why, changes))
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
