"""Reads. Every query here already applies the caller's permissions: a SEiR sees only
their programmes' scouting data; anything else answers 404. The reads of possible
duplicates and past merges are in ``scouting.duplicates`` (re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Programme, User
from events.models import Event
from seir.params import bounded_int

from .duplicates import (  # noqa: F401  (re-exported: the duplicates' reads live there)
    DUPLICATE_PAIRS_SHOWN,
    duplicate_pairs,
    marked_different,
    merge_records,
    merged_into,
    people_with_the_same_name,
)
from .filters import IdeaFilter, MeetingFilter, OrganisationFilter, PersonFilter
from .models import (
    FollowUp,
    Idea,
    Meeting,
    MeetingDraft,
    MergeRecord,
    Organisation,
    Person,
    TalentNote,
)
from .permissions import require_manage_scouting, scouting_programme_ids


def _count(queryset, field: str = "pk"):
    """A correlated COUNT subquery (no join fan-out, no GROUP BY on the outer query)."""
    counted = queryset.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def programmes_for(*, user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(id__in=scouting_programme_ids(user)).order_by("name")


def _scoped(model, user: User) -> QuerySet:
    require_manage_scouting(user)
    return model.objects.filter(programme_id__in=scouting_programme_ids(user))


# --- lists ---------------------------------------------------------------------------


def meeting_list(*, user: User, params=None) -> MeetingFilter:
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
    return MeetingFilter(params or None, queryset=base, programmes=programmes_for(user=user))


def person_list(*, user: User, params=None) -> PersonFilter:
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
    return PersonFilter(params or None, queryset=base, programmes=programmes_for(user=user))


def organisation_list(*, user: User, params=None) -> OrganisationFilter:
    base = _scoped(Organisation, user).annotate(
        people_count=_count(Person.objects.filter(organisation=OuterRef("pk")), "organisation"),
        meeting_count=_count(
            Meeting.organisations.through.objects.filter(organisation=OuterRef("pk")),
            "organisation",
        ),
    )
    return OrganisationFilter(params or None, queryset=base, programmes=programmes_for(user=user))


def idea_list(*, user: User, params=None) -> IdeaFilter:
    base = (
        _scoped(Idea, user)
        .select_related("venture")
        .annotate(
            meeting_count=_count(
                Idea.source_meetings.through.objects.filter(idea=OuterRef("pk")), "idea"
            )
        )
    )
    return IdeaFilter(params or None, queryset=base, programmes=programmes_for(user=user))


def followups_of(*, user: User) -> QuerySet[FollowUp]:
    """'My follow-ups': open ones first by due date, then the ten most recently done."""
    return (
        _scoped(FollowUp, user)
        .filter(assignee=user)
        .select_related("meeting", "person", "assignee")
        .order_by("done", "due", "id")
    )


def person_search(*, user: User, query: str, limit: int = 10) -> list[Person]:
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
    *, user: User, query: str, programme_id=None, limit: int = 10
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


def organisation_get(*, user: User, pk: int) -> Organisation:
    return get_object_or_404(_scoped(Organisation, user).select_related("programme"), pk=pk)


def person_get(*, user: User, pk: int) -> Person:
    return get_object_or_404(
        _scoped(Person, user).select_related("programme", "organisation").prefetch_related("tags"),
        pk=pk,
    )


# A record merged into one later merged again: how far a trace is followed (a loop
# in damaged data must not run for ever).
MERGE_HOPS = 20


@dataclass(frozen=True)
class MergedAway:
    """Where a record merged away went: the merge that removed it (``merge.removed_name``
    is its name then) and the record kept in the end, None when that one is gone too."""

    merge: MergeRecord
    kept: Person | Organisation | None


def merged_away(*, user: User, kind: str, pk: int) -> MergedAway | None:
    """Record ``pk`` (``kind`` "person" or "organisation") was merged into another: the
    record that has its links now, following later merges of that one. None when no
    merge in one of the user's programmes removed it (a 404, as for any id they cannot
    see). An erased person is still found: the caller decides what it may show."""
    first = merged_into(user, kind, pk)
    if first is None:
        return None
    get = person_get if kind == "person" else organisation_get
    merge, seen = first, {pk}
    for _ in range(MERGE_HOPS):
        try:
            return MergedAway(first, get(user=user, pk=merge.kept_id))
        except Http404:
            seen.add(merge.kept_id)
        merge = merged_into(user, kind, merge.kept_id)
        if merge is None or merge.kept_id in seen:
            break
    return MergedAway(first, None)


def meeting_get(*, user: User, pk: int) -> Meeting:
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


def meeting_deleted(*, user: User, pk: int) -> bool:
    """Whether a meeting of the user's programmes with this id was deleted (its deletion
    is recorded): a second "Delete" is told so, a stranger still gets 404."""
    return Event.objects.filter(
        kind="scouting.meeting_deleted",
        subject_id=str(pk),
        programme_id__in=scouting_programme_ids(user),
    ).exists()


def idea_get(*, user: User, pk: int) -> Idea:
    return get_object_or_404(
        _scoped(Idea, user)
        .select_related("programme", "venture", "created_by")
        .prefetch_related(
            "source_meetings",
            Prefetch("proposers", queryset=Person.objects.select_related("organisation")),
        ),
        pk=pk,
    )


def followup_get(*, user: User, pk: int) -> FollowUp:
    return get_object_or_404(_scoped(FollowUp, user), pk=pk)


def people_by_ids(*, user: User, ids) -> list[Person]:
    """People the user may pick (by id, in the order given); unknown ids are dropped."""
    return people_picked(user=user, ids=ids)[0]


def people_picked(*, user: User, ids) -> tuple[list[Person], int]:
    """The people a form picked (by id, in the order given, once each) and how many of
    the ids it sent name no one the user may pick.

    A person merged into another since the form was shown is the record that stayed:
    the same person, whom the form must not drop without a word."""
    clean = []
    for value in ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**63:
            clean.append(number)
    clean = list(dict.fromkeys(clean))[:200]
    people = _scoped(Person, user).select_related("organisation")
    found = people.in_bulk(clean)
    now = {i: i for i in clean}  # each id sent -> the record it names today
    for _hop in range(5):  # a record merged, and the one it went into merged in turn
        pending = {c for c in now.values() if c not in found}
        if not pending:
            break
        merges = dict(  # the latest merge of each last
            MergeRecord.objects.filter(
                kind="person", removed_id__in=pending, programme_id__in=scouting_programme_ids(user)
            )
            .order_by("merged_at", "id")
            .values_list("removed_id", "kept_id")
        )
        if not merges:
            break
        now = {i: merges.get(c, c) for i, c in now.items()}
        found.update(people.in_bulk([c for c in set(now.values()) if c not in found]))
    chosen = dict.fromkeys(now[i] for i in clean if now[i] in found)
    return [found[c] for c in chosen], sum(1 for i in clean if now[i] not in found)


def person_links(*, person: Person) -> dict:
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


def organisation_links(*, organisation: Organisation) -> dict:
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


def draft_for(*, user: User) -> MeetingDraft | None:
    return MeetingDraft.objects.filter(user=user).first()


def get_programme(*, user: User, pk) -> Programme:
    programme = programmes_for(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if programme is None:
        raise Http404("No such programme.")
    return programme


def organisation_similar(*, organisation: Organisation, limit: int = 5) -> list[Organisation]:
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
