"""The directory: organisations and people, duplicates and merges."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User

from ..models import (
    FollowUp,
    Idea,
    Meeting,
    MergeKind,
    MergeRecord,
    NotDuplicate,
    Organisation,
    Person,
    Tag,
    TalentNote,
)
from ..permissions import require_manage_programme
from .common import ScoutingError, changed_fields, record

ORGANISATION_FIELDS = ("name", "sector", "area", "website")
PERSON_FIELDS = (
    "name",
    "organisation",
    "job_title",
    "email",
    "phone",
    "notes",
    "consent_to_contact",
    "consent_date",
)
_TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "cllr"}
SIMILARITY = 0.85


def normalise_name(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", name.casefold()).split()
    return " ".join(w for w in words if w not in _TITLES)


def names_similar(a: str, b: str) -> bool:
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return False
    if a == b or sorted(a.split()) == sorted(b.split()):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILARITY


def person_duplicates(
    *,
    programme_id: int,
    name: str,
    email: str = "",
    organisation_id: int | None = None,
    exclude_pk: int | None = None,
) -> list[tuple[Person, str]]:
    """Likely duplicates of a person being entered: (person, why) pairs.

    Same email anywhere in the programme, or a similar name in the same organisation.
    Two bounded queries: by the indexed email, and the people of one organisation.
    """
    found: dict[int, tuple[Person, str]] = {}
    base = Person.objects.filter(programme_id=programme_id, is_erased=False).select_related(
        "organisation"
    )
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    email = (email or "").strip().lower()
    if email:
        for person in base.filter(email=email)[:20]:
            found[person.pk] = (person, "same email")
    if organisation_id and name:
        for person in base.filter(organisation_id=organisation_id)[:500]:
            if person.pk not in found and names_similar(person.name, name):
                found[person.pk] = (person, "similar name in the same organisation")
    return list(found.values())


def _check_organisation(programme: Programme, organisation: Organisation | None) -> None:
    if organisation is not None and organisation.programme_id != programme.pk:
        raise ValidationError({"organisation": "That organisation belongs to another programme."})


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    sector: str = "other",
    area: str = "",
    website: str = "",
    record_event: bool = True,
) -> Organisation:
    require_manage_programme(actor, programme.pk)
    organisation = Organisation(
        programme=programme, name=name.strip(), sector=sector, area=area.strip(), website=website
    )
    organisation.full_clean()
    organisation.save()
    if record_event:
        record(actor, "organisation_added", organisation, data={"sector": sector})
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, changes: dict, record_event: bool = True
) -> list[str]:
    """Change only the fields in ``changes`` that differ; returns their names."""
    require_manage_programme(actor, organisation.programme_id)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    names = changed_fields(
        organisation, {k: changes[k] for k in ORGANISATION_FIELDS if k in changes}
    )
    if not names:
        return []
    organisation.full_clean()
    organisation.save(update_fields=[*names, "updated_at"])
    if record_event:
        record(actor, "organisation_changed", organisation, data={"fields": names})
    return names


ORGANISATION_MERGE_FIELDS = ("name", "sector", "area", "website")
# What a person picks field by field when merging people ("consent" carries its date).
PERSON_MERGE_FIELDS = ("name", "organisation", "job_title", "email", "phone", "notes", "consent")
KEPT, REMOVED, BOTH = "kept", "removed", "both"


class RecordGone(ScoutingError):
    """One of the records to merge no longer exists (merged or removed a moment ago)."""


GONE = (
    "One of these records no longer exists: it was probably merged a moment ago. "
    "Nothing was changed."
)


def _lock_pair(model, first_pk: int, second_pk: int):
    """Lock both rows in id order (so two merges of the same pair cannot deadlock) and
    return them in the order asked; a row already gone is a clean refusal."""
    rows = {
        row.pk: row
        for row in model.objects.select_for_update()
        .filter(pk__in=sorted({first_pk, second_pk}))
        .order_by("pk")
    }
    if first_pk not in rows or second_pk not in rows:
        raise RecordGone(GONE)
    return rows[first_pk], rows[second_pk]


def _default_choice(name: str, kept_value, removed_value) -> str:
    """The kept record's value wins unless it is blank and the other one is not; two
    different notes are both kept."""
    if name == "notes" and kept_value and removed_value and kept_value != removed_value:
        return BOTH
    return REMOVED if not kept_value and removed_value else KEPT


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _merge_values(keep, remove, fields, choices, getters) -> tuple[dict, dict]:
    """Apply the choices to ``keep``: returns (changed values, field -> what won)."""
    chosen, explained = {}, {}
    for name in fields:
        get = getters.get(name, lambda record, n=name: getattr(record, n))
        kept_value, removed_value = get(keep), get(remove)
        choice = (choices or {}).get(name) or _default_choice(name, kept_value, removed_value)
        if choice not in (KEPT, REMOVED, BOTH) or (choice == BOTH and name != "notes"):
            raise ScoutingError(f"Choose which {name.replace('_', ' ')} to keep.")
        if kept_value == removed_value:
            choice = KEPT
        if choice == REMOVED:
            chosen[name] = removed_value
        elif choice == BOTH:
            chosen[name] = f"{kept_value}\n\n{removed_value}".strip()
        explained[name] = {"from": choice, "value": _shown(chosen.get(name, kept_value))}
    return chosen, explained


def _snapshot(record, fields, getters) -> dict:
    return {
        name: _shown(getters.get(name, lambda r, n=name: getattr(r, n))(record)) for name in fields
    }


def _check_pair(kind: str, keep, remove) -> None:
    if keep.pk == remove.pk:
        raise ScoutingError(f"Choose two different {kind} to merge.")
    if keep.programme_id != remove.programme_id:
        raise ScoutingError(f"Only {kind} of the same programme can be merged.")


_ORG_GETTERS = {"sector": lambda o: o.sector}


@transaction.atomic
def organisation_merge(
    *, actor: User, keep: Organisation, remove: Organisation, choices: dict | None = None
) -> Organisation:
    """Merge ``remove`` into ``keep``: its people and meetings move over, each field takes
    the value chosen in ``choices`` (field -> "kept" or "removed"; by default the kept
    value unless blank), ``remove`` goes, and a ``MergeRecord`` says what came from where."""
    require_manage_programme(actor, keep.programme_id)
    _check_pair("organisations", keep, remove)
    keep, remove = _lock_pair(Organisation, keep.pk, remove.pk)
    kept_before = _snapshot(keep, ORGANISATION_MERGE_FIELDS, _ORG_GETTERS)
    removed_values = _snapshot(remove, ORGANISATION_MERGE_FIELDS, _ORG_GETTERS)
    values, explained = _merge_values(
        keep, remove, ORGANISATION_MERGE_FIELDS, choices, _ORG_GETTERS
    )
    people = Person.objects.filter(organisation=remove).update(organisation=keep)
    through = Meeting.organisations.through
    already = through.objects.filter(organisation=keep).values("meeting_id")
    through.objects.filter(organisation=remove, meeting_id__in=already).delete()
    meetings = through.objects.filter(organisation=remove).update(organisation=keep)
    filled = changed_fields(keep, values)
    if filled:
        keep.full_clean()
        keep.save(update_fields=[*filled, "updated_at"])
    moved = {"people": people, "meetings": meetings}
    merge = _merge_record(
        actor, MergeKind.ORGANISATION, keep, remove, explained, kept_before, removed_values, moved
    )
    remove.delete()
    record(
        actor,
        "organisation_merged",
        keep,
        data={
            "merge_id": merge.pk,
            "removed_id": merge.removed_id,
            "removed_name": merge.removed_name,
            "from_removed": [k for k, v in explained.items() if v["from"] != KEPT],
            "people": people,
            "meetings": meetings,
        },
    )
    return keep


def _merge_record(actor, kind, keep, remove, explained, kept_before, removed_values, moved):
    return MergeRecord.objects.create(
        programme_id=keep.programme_id,
        kind=kind,
        kept_id=keep.pk,
        kept_name=str(keep.name)[:200],
        removed_id=remove.pk,
        removed_name=str(remove.name)[:200],
        fields=explained,
        kept_values=kept_before,
        removed_values=removed_values,
        moved=moved,
        merged_by=actor,
        merged_at=timezone.now(),
    )


def _clean_person_values(values: dict) -> dict:
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower()
    for key in ("name", "job_title", "phone"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if values.get("consent_to_contact") and not values.get("consent_date"):
        values["consent_date"] = datetime.date.today()
    return values


@transaction.atomic
def person_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    organisation: Organisation | None = None,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
    tags: Iterable[Tag] = (),
    consent_to_contact: bool = False,
    consent_date: datetime.date | None = None,
    record_event: bool = True,
) -> Person:
    require_manage_programme(actor, programme.pk)
    _check_organisation(programme, organisation)
    values = _clean_person_values(
        {
            "name": name,
            "organisation": organisation,
            "job_title": job_title,
            "email": email,
            "phone": phone,
            "notes": notes,
            "consent_to_contact": consent_to_contact,
            "consent_date": consent_date,
        }
    )
    person = Person(programme=programme, **values)
    person.full_clean()
    person.save()
    tags = list(tags)
    if tags:
        person.tags.set(tags)
    if record_event:
        record(actor, "person_added", person, data={"organisation_id": person.organisation_id})
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, changes: dict, record_event: bool = True
) -> list[str]:
    """Change only what is in ``changes`` and differs (``tags`` too); returns the names."""
    require_manage_programme(actor, person.programme_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise ScoutingError("This person's data was erased; the record cannot be changed.")
    values = _clean_person_values({k: changes[k] for k in PERSON_FIELDS if k in changes})
    if "organisation" in values:
        _check_organisation(person.programme, values["organisation"])
    names = changed_fields(person, values)
    if names:
        person.full_clean()
        person.save(update_fields=[*names, "updated_at"])
    if "tags" in changes:
        new = {t.pk for t in changes["tags"]}
        if new != set(person.tags.values_list("pk", flat=True)):
            person.tags.set(list(changes["tags"]))
            names.append("tags")
    if names and record_event:
        record(actor, "person_changed", person, data={"fields": names})
    return names


def _consent(person: Person):
    return (person.consent_to_contact, person.consent_date) if person.consent_to_contact else ()


_PERSON_GETTERS = {"consent": _consent}


def _person_snapshot(person: Person) -> dict:
    values = _snapshot(person, PERSON_MERGE_FIELDS[:-1], {})
    values["consent"] = (
        f"yes, given {person.consent_date.isoformat() if person.consent_date else '(no date)'}"
        if person.consent_to_contact
        else "no"
    )
    return values


@transaction.atomic
def person_merge(
    *, actor: User, keep: Person, remove: Person, choices: dict | None = None
) -> Person:
    """Merge ``remove`` into ``keep``, keeping every link: meetings attended, ideas
    proposed, talent notes, follow-ups and tags move over. Each field takes the value
    chosen in ``choices`` (field -> "kept", "removed", or for notes "both"; by default
    the kept value unless blank). A ``MergeRecord`` says what came from where."""
    require_manage_programme(actor, keep.programme_id)
    _check_pair("people", keep, remove)
    keep, remove = _lock_pair(Person, keep.pk, remove.pk)
    if keep.is_erased:
        raise ScoutingError("Keep the record that was not erased.")
    kept_before, removed_values = _person_snapshot(keep), _person_snapshot(remove)
    values, explained = _merge_values(keep, remove, PERSON_MERGE_FIELDS, choices, _PERSON_GETTERS)
    if "consent" in values:
        consent = values.pop("consent") or (False, None)
        values["consent_to_contact"], values["consent_date"] = consent
    explained["consent"]["value"] = (
        removed_values if explained["consent"]["from"] == REMOVED else kept_before
    )["consent"]
    moved = {}
    for label, through, link in (
        ("meetings", Meeting.attendees.through, "meeting_id"),
        ("ideas", Idea.proposers.through, "idea_id"),
    ):
        already = through.objects.filter(person=keep).values(link)
        through.objects.filter(person=remove, **{f"{link}__in": already}).delete()
        moved[label] = through.objects.filter(person=remove).update(person=keep)
    moved["talent_notes"] = TalentNote.objects.filter(person=remove).update(person=keep)
    moved["followups"] = FollowUp.objects.filter(person=remove).update(person=keep)
    keep.tags.add(*remove.tags.all())
    filled = changed_fields(keep, values)
    if filled:
        keep.full_clean()
        keep.save(update_fields=[*filled, "updated_at"])
    merge = _merge_record(
        actor, MergeKind.PERSON, keep, remove, explained, kept_before, removed_values, moved
    )
    remove.delete()
    record(
        actor,
        "person_merged",
        keep,
        data={
            "merge_id": merge.pk,
            "removed_id": merge.removed_id,
            "moved": moved,
            "filled": filled,
            "from_removed": [k for k, v in explained.items() if v["from"] != KEPT],
        },
    )
    return keep


@transaction.atomic
def duplicate_dismiss(*, actor: User, kind: str, first, second) -> NotDuplicate:
    """Record that two records are different: they leave the possible-duplicates list."""
    require_manage_programme(actor, first.programme_id)
    _check_pair("people" if kind == MergeKind.PERSON else "organisations", first, second)
    low, high = sorted((first.pk, second.pk))
    dismissal, _ = NotDuplicate.objects.get_or_create(
        kind=kind,
        first_id=low,
        second_id=high,
        defaults={
            "programme_id": first.programme_id,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    record(
        actor,
        "duplicate_dismissed",
        first,
        programme=first.programme,
        data={"kind": kind, "ids": [low, high]},
    )
    return dismissal
