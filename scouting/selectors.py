"""Reads. Every query here already applies the caller's permissions: a SEiR sees only
their programmes' scouting data; anything else answers 404."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Programme, User
from seir.params import bounded_int

from .filters import IdeaFilter, MeetingFilter, OrganisationFilter, PersonFilter
from .models import (
    FollowUp,
    Idea,
    Meeting,
    MeetingDraft,
    MergeRecord,
    NotDuplicate,
    Organisation,
    Person,
    TalentNote,
)
from .permissions import require_manage_scouting, scouting_programme_ids


def _count(queryset, field: str = "pk"):
    """A correlated COUNT subquery (no join fan-out, no GROUP BY on the outer query)."""
    counted = queryset.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def programmes_for(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(id__in=scouting_programme_ids(user)).order_by("name")


def _scoped(model, user: User) -> QuerySet:
    require_manage_scouting(user)
    return model.objects.filter(programme_id__in=scouting_programme_ids(user))


# --- lists ---------------------------------------------------------------------------


def meeting_list(user: User, params=None) -> MeetingFilter:
    base = (
        _scoped(Meeting, user)
        .select_related("programme")
        .annotate(
            idea_count=_count(
                Idea.source_meetings.through.objects.filter(meeting=OuterRef("pk")), "meeting"
            ),
            open_followups=_count(
                FollowUp.objects.filter(meeting=OuterRef("pk"), done=False), "meeting"
            ),
        )
        .prefetch_related(
            Prefetch("attendees", queryset=Person.objects.only("id", "name")),
            Prefetch("organisations", queryset=Organisation.objects.only("id", "name", "sector")),
        )
    )
    return MeetingFilter(params or None, queryset=base, programmes=programmes_for(user))


def person_list(user: User, params=None) -> PersonFilter:
    base = (
        _scoped(Person, user)
        .select_related("organisation")
        .annotate(
            meeting_count=_count(
                Meeting.attendees.through.objects.filter(person=OuterRef("pk")), "person"
            )
        )
        .prefetch_related("tags")
    )
    return PersonFilter(params or None, queryset=base, programmes=programmes_for(user))


def organisation_list(user: User, params=None) -> OrganisationFilter:
    base = _scoped(Organisation, user).annotate(
        people_count=_count(Person.objects.filter(organisation=OuterRef("pk")), "organisation"),
        meeting_count=_count(
            Meeting.organisations.through.objects.filter(organisation=OuterRef("pk")),
            "organisation",
        ),
    )
    return OrganisationFilter(params or None, queryset=base, programmes=programmes_for(user))


def idea_list(user: User, params=None) -> IdeaFilter:
    base = (
        _scoped(Idea, user)
        .select_related("venture")
        .annotate(
            meeting_count=_count(
                Idea.source_meetings.through.objects.filter(idea=OuterRef("pk")), "idea"
            )
        )
    )
    return IdeaFilter(params or None, queryset=base, programmes=programmes_for(user))


def followups_of(user: User) -> QuerySet[FollowUp]:
    """'My follow-ups': open ones first by due date, then the ten most recently done."""
    return (
        _scoped(FollowUp, user)
        .filter(assignee=user)
        .select_related("meeting", "person", "assignee")
        .order_by("done", "due", "id")
    )


def person_search(user: User, query: str, limit: int = 10) -> list[Person]:
    require_manage_scouting(user)
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    return list(
        _scoped(Person, user)
        .filter(name__icontains=query, is_erased=False)
        .select_related("organisation")
        .order_by("name", "id")[:limit]
    )


def organisation_search(
    user: User, query: str, programme_id=None, limit: int = 10
) -> list[Organisation]:
    """Organisations matching what is typed, for the meeting form's picker; within the
    chosen programme when one is given (and the user's)."""
    require_manage_scouting(user)
    query = query.replace("\x00", "").strip()[:100]
    if len(query) < 2:
        return []
    found = _scoped(Organisation, user).filter(name__icontains=query)
    programme = bounded_int(programme_id, default=0) if programme_id else 0
    if programme:
        found = found.filter(programme_id=programme)
    return list(found.order_by("name", "id")[:limit])


# --- single objects --------------------------------------------------------------------


def organisation_get(user: User, pk: int) -> Organisation:
    return get_object_or_404(_scoped(Organisation, user).select_related("programme"), pk=pk)


def person_get(user: User, pk: int) -> Person:
    return get_object_or_404(
        _scoped(Person, user).select_related("programme", "organisation").prefetch_related("tags"),
        pk=pk,
    )


def meeting_get(user: User, pk: int) -> Meeting:
    return get_object_or_404(
        _scoped(Meeting, user)
        .select_related("programme", "logged_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Person.objects.select_related("organisation")),
            "organisations",
            Prefetch("talent", queryset=TalentNote.objects.select_related("person")),
            Prefetch("followups", queryset=FollowUp.objects.select_related("assignee", "person")),
            Prefetch("ideas", queryset=Idea.objects.select_related("venture")),
        ),
        pk=pk,
    )


def idea_get(user: User, pk: int) -> Idea:
    return get_object_or_404(
        _scoped(Idea, user)
        .select_related("programme", "venture", "created_by")
        .prefetch_related(
            "source_meetings",
            Prefetch("proposers", queryset=Person.objects.select_related("organisation")),
        ),
        pk=pk,
    )


def followup_get(user: User, pk: int) -> FollowUp:
    return get_object_or_404(_scoped(FollowUp, user), pk=pk)


def people_by_ids(user: User, ids) -> list[Person]:
    """People the user may pick (by id, in the order given); unknown ids are dropped."""
    clean = []
    for value in ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**63:
            clean.append(number)
    found = _scoped(Person, user).select_related("organisation").in_bulk(clean[:200])
    return [found[i] for i in dict.fromkeys(clean) if i in found]


def person_links(person: Person) -> dict:
    """Every meeting, idea and venture a person is linked to (for their page)."""
    meetings = list(Meeting.objects.filter(attendees=person).order_by("-held_at", "-id"))
    talent_meetings = list(
        TalentNote.objects.filter(person=person)
        .select_related("meeting")
        .order_by("-meeting__held_at")
    )
    ideas = list(
        Idea.objects.filter(Q(proposers=person) | Q(source_meetings__attendees=person))
        .select_related("venture")
        .distinct()
        .order_by("-created_at", "-id")
    )
    return {
        "meetings": meetings,
        "talent": talent_meetings,
        "ideas": ideas,
        "ventures": [i.venture for i in ideas if i.venture_id],
        "followups": list(FollowUp.objects.filter(person=person).select_related("assignee")),
    }


def organisation_links(organisation: Organisation) -> dict:
    meetings = list(Meeting.objects.filter(organisations=organisation).order_by("-held_at", "-id"))
    ideas = list(
        Idea.objects.filter(source_meetings__organisations=organisation)
        .select_related("venture")
        .distinct()
        .order_by("-created_at")
    )
    return {
        "people": list(organisation.people.order_by("name", "id")),
        "meetings": meetings,
        "ideas": ideas,
        "ventures": [i.venture for i in ideas if i.venture_id],
    }


def draft_for(user: User) -> MeetingDraft | None:
    return MeetingDraft.objects.filter(user=user).first()


def get_programme(user: User, pk) -> Programme:
    programme = programmes_for(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if programme is None:
        raise Http404("No such programme.")
    return programme


def organisation_similar(organisation: Organisation, limit: int = 5) -> list[Organisation]:
    """Likely duplicates of an organisation: similar names in the same programme."""
    from .services.directory import names_similar, normalise_name

    words = normalise_name(organisation.name).split()
    if not words:
        return []
    candidates = (
        Organisation.objects.filter(
            programme_id=organisation.programme_id, name__icontains=words[0][:30]
        )
        .exclude(pk=organisation.pk)
        .order_by("name")[:200]
    )
    return [o for o in candidates if names_similar(o.name, organisation.name)][:limit]


# --- duplicates and merges ----------------------------------------------------------------

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
