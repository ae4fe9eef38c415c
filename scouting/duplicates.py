"""Reads of the directory's possible duplicates and past merges: the likely duplicate
pairs a manager reviews, the records marked as different, and the merge records. Each
applies the caller's permissions like the rest of ``scouting.selectors``."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User

from .models import MergeRecord, NotDuplicate, Organisation, Person
from .permissions import require_manage_scouting, scouting_programme_ids

DUPLICATE_PAIRS_SHOWN = 200
_SIMILAR_WITHIN = 60  # compare names pairwise only within groups this small


def _pairs_by_key(rows, key, why: str, found: dict) -> None:
    groups: dict = {}
    for row in rows:
        k = key(row)
        if k:
            groups.setdefault(k, []).append(row)
    for group in groups.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                pair = (min(first[0], second[0]), max(first[0], second[0]))
                found.setdefault(pair, [])
                if why not in found[pair]:
                    found[pair].append(why)


def _similar_in_groups(rows, group_key, why: str, found: dict) -> None:
    from .services.directory import names_similar

    groups: dict = {}
    for row in rows:
        k = group_key(row)
        if k:
            groups.setdefault(k, []).append(row)
    for group in groups.values():
        if len(group) > _SIMILAR_WITHIN:
            continue
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if names_similar(first[1], second[1]):
                    pair = (min(first[0], second[0]), max(first[0], second[0]))
                    reasons = found.setdefault(pair, [])
                    if not reasons:
                        reasons.append(why)


def people_with_the_same_name(person: Person, limit: int = 20) -> list[Person]:
    """Others in ``person``'s directory with the same name (letter case aside): the
    duplicates list pairs them as "same name", so the person's page offers them too."""
    return list(
        Person.objects.filter(
            programme_id=person.programme_id, is_erased=False, name__iexact=person.name.strip()
        )
        .exclude(pk=person.pk)
        .select_related("organisation")
        .order_by("pk")[:limit]
    )


def marked_different(kind: str, pk: int) -> set[int]:
    """Ids of the records someone marked as different from record ``pk`` (one query): a
    record's page no longer offers them as possible duplicates, as the list does not."""
    pairs = NotDuplicate.objects.filter(Q(first_id=pk) | Q(second_id=pk), kind=kind)
    return {b if a == pk else a for a, b in pairs.values_list("first_id", "second_id")}


def _dismissed(kind: str, programme_ids) -> set[tuple[int, int]]:
    return set(
        NotDuplicate.objects.filter(kind=kind, programme_id__in=programme_ids).values_list(
            "first_id", "second_id"
        )
    )


def duplicate_pairs(user: User) -> dict:
    """Likely duplicate pairs in the directory the user manages, each pair once:
    ``{"people": [(a, b, reasons)], "organisations": [...], "more": bool}``.

    People: the same email, the same name, or a similar name in the same organisation.
    Organisations: the same or a similar name. Pairs marked as different are left out.
    Reads each directory's names once (id, name, email, organisation) and compares in
    memory, pairwise only within small groups.
    """
    from .services.directory import normalise_name

    require_manage_scouting(user)
    ids = scouting_programme_ids(user)
    people = list(
        Person.objects.filter(programme_id__in=ids, is_erased=False).values_list(
            "pk", "name", "email", "organisation_id", "programme_id"
        )
    )
    found: dict = {}
    _pairs_by_key(people, lambda r: (r[4], r[2].lower()) if r[2] else None, "same email", found)
    _pairs_by_key(
        people, lambda r: (r[4], " ".join(sorted(normalise_name(r[1]).split()))), "same name", found
    )
    _similar_in_groups(people, lambda r: r[3], "similar name in the same organisation", found)
    person_pairs = _resolve(Person, found, _dismissed("person", ids))

    organisations = list(
        Organisation.objects.filter(programme_id__in=ids).values_list("pk", "name", "programme_id")
    )
    found = {}
    _pairs_by_key(
        organisations,
        lambda r: (r[2], " ".join(sorted(normalise_name(r[1]).split()))),
        "same name",
        found,
    )
    _similar_in_groups(
        organisations,
        lambda r: (r[2], (normalise_name(r[1]).split() or [""])[0]),
        "similar name",
        found,
    )
    organisation_pairs = _resolve(Organisation, found, _dismissed("organisation", ids))
    return {
        "people": person_pairs[:DUPLICATE_PAIRS_SHOWN],
        "organisations": organisation_pairs[:DUPLICATE_PAIRS_SHOWN],
        "more": max(len(person_pairs), len(organisation_pairs)) > DUPLICATE_PAIRS_SHOWN,
    }


def _resolve(model, found: dict, dismissed: set) -> list:
    pairs = sorted(pair for pair in found if pair not in dismissed)[: DUPLICATE_PAIRS_SHOWN + 1]
    wanted = {pk for pair in pairs for pk in pair}
    query = model.objects.filter(pk__in=wanted)
    if model is Person:
        query = query.select_related("organisation")
    records = {record.pk: record for record in query}
    return [(records[a], records[b], found[(a, b)]) for a, b in pairs]


def merge_records(kind: str, kept_id: int) -> list:
    """The merges that folded other records into this one, newest first."""
    return list(
        MergeRecord.objects.filter(kind=kind, kept_id=kept_id).select_related("merged_by")[:50]
    )


def merged_into(user: User, kind: str, pk: int):
    """The merge that removed record ``pk`` (of a programme the user manages), or None."""
    return (
        MergeRecord.objects.filter(
            kind=kind, removed_id=pk, programme_id__in=scouting_programme_ids(user)
        )
        .order_by("-merged_at", "-id")
        .first()
    )
