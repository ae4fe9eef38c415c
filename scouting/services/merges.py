"""Merging two organisations or two people of the directory (every link moves over, each
field takes the chosen value, a ``MergeRecord`` says what came from where), and
dismissing a pair that only looks like a duplicate."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import (
    FollowUp,
    Idea,
    Meeting,
    MergeKind,
    MergeRecord,
    NotDuplicate,
    Organisation,
    Person,
    TalentNote,
)
from ..permissions import require_manage_programme
from ..tallies import meetings_refresh
from .common import RecordGone, ScoutingError, changed_fields, record

ORGANISATION_MERGE_FIELDS = ("name", "sector", "area", "website")
# What a person picks field by field when merging people ("consent" carries its date).
PERSON_MERGE_FIELDS = ("name", "organisation", "job_title", "email", "phone", "notes", "consent")
KEPT, REMOVED, BOTH = "kept", "removed", "both"


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
    moved_meetings = list(
        through.objects.filter(organisation=remove).values_list("meeting_id", flat=True)
    )
    already = through.objects.filter(organisation=keep).values("meeting_id")
    through.objects.filter(organisation=remove, meeting_id__in=already).delete()
    meetings = through.objects.filter(organisation=remove).update(organisation=keep)
    filled = changed_fields(keep, values)
    if filled:
        keep.full_clean()
        keep.save(update_fields=[*filled, "updated_at"])
    # The links moved with QuerySet.update, which sends no signal: recount their meetings.
    meetings_refresh(moved_meetings)
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
