"""The directory: organisations and people, and finding possible duplicates. Merging two
records and dismissing a possible duplicate are in ``merges``."""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Programme, User

from ..models import (
    Organisation,
    Person,
    Tag,
)
from ..permissions import require_manage_programme
from .common import (
    RecordGone,
    ScoutingError,
    changed_fields,
    record,
    refuse_if_edited_meanwhile,
)

# Saving a record that went while its edit page was open (the view finds out where).
NO_LONGER_EXISTS = (
    "This record no longer exists: it was merged into another or removed while you were "
    "editing. Nothing was saved."
)
ERASED = "This person's data was erased; the record cannot be changed."
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
    *,
    actor: User,
    organisation: Organisation,
    changes: dict,
    record_event: bool = True,
    seen_at: str | None = None,
) -> list[str]:
    """Change only the fields in ``changes`` that differ; returns their names. Refused
    (``EditedMeanwhile``) when saved by someone else since ``seen_at``."""
    require_manage_programme(actor, organisation.programme_id)
    organisation = Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if organisation is None:
        raise RecordGone(NO_LONGER_EXISTS)
    refuse_if_edited_meanwhile(organisation, seen_at)
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


POSSIBLE_DUPLICATE = (
    "This may be someone already in the directory. Open their record, or tick the box "
    "below to add a different person."
)


class PossibleDuplicates(ScoutingError):
    """The person being added may already be in the directory: ``found`` holds the
    (person, why) pairs to offer instead. Nothing was saved."""

    def __init__(self, found: list[tuple[Person, str]]):
        super().__init__(POSSIBLE_DUPLICATE)
        self.found = found


@transaction.atomic
def person_add(
    *, actor: User, programme: Programme, different_person: bool = False, **values
) -> Person:
    """``person_create`` from the add-a-person forms, unless the directory may already
    hold them (``person_duplicates``) and the person adding has not said they are
    someone different: then ``PossibleDuplicates``.

    Looked for once any other addition to the programme's directory under way has
    committed (the programme's row is locked first, as an import locks it), so two
    people adding the same person at once, in two tabs or on two phones, cannot both
    add them: the second is offered the first's."""
    require_manage_programme(actor, programme.pk)
    list(
        Programme.objects.select_for_update(no_key=True)
        .filter(pk=programme.pk)
        .values_list("pk", flat=True)
    )
    organisation = values.get("organisation")
    found = person_duplicates(
        programme_id=programme.pk,
        name=values.get("name", ""),
        email=values.get("email", ""),
        organisation_id=organisation.pk if organisation else None,
    )
    if found and not different_person:
        raise PossibleDuplicates(found)
    return person_create(actor=actor, programme=programme, **values)


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    changes: dict,
    record_event: bool = True,
    seen_at: str | None = None,
) -> list[str]:
    """Change only what is in ``changes`` and differs (``tags`` too); returns the names.
    Refused (``EditedMeanwhile``) when saved by someone else since ``seen_at``."""
    require_manage_programme(actor, person.programme_id)
    person = Person.objects.select_for_update().filter(pk=person.pk).first()
    if person is None:
        raise RecordGone(NO_LONGER_EXISTS)
    if person.is_erased:
        raise RecordGone(ERASED)
    refuse_if_edited_meanwhile(person, seen_at)
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
            if names == ["tags"]:  # an edit form shown before this is now out of date
                person.save(update_fields=["updated_at"])
    if names and record_event:
        record(actor, "person_changed", person, data={"fields": names})
    return names
