"""Keeps scouting's summary rows (``MeetingTally``, ``IdeaSource``) equal to what they
summarise, inside the transaction of the write that changes it, so a figure read from
them is right the moment that write commits (nothing is cached, nothing is emptied).

Two functions recompute rows from the meetings themselves:

- ``days_refresh(programme_id, days)``: the meeting tallies of those local days;
- ``ideas_refresh(idea_ids)``: those ideas' source rows.

Model signals call them for every save or delete of a meeting, every change of a
meeting's organisations or of an idea's source meetings, and an organisation's sector
change or deletion, whoever writes (services, the admin, factories). The two writes that
bypass signals call ``meetings_refresh`` themselves: the organisation merge (it moves
links with ``QuerySet.update``) and bulk seeding (``programme_rebuild``). A meeting is
deleted on its own only by ``meeting_delete``, which recomputes its day itself (and
refuses a meeting ideas came from, so no idea's source rows change); deleting a
programme deletes its summary rows with its meetings, so no delete signal of
``Meeting`` is needed (it would also cost Django's fast cascade).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from seir import locks
from seir.changes import on_change
from ventures.models import Venture
from ventures.targets import targets_refreshed

from .models import Idea, Meeting, Organisation
from .tally_models import ANY_TYPE, EVERY_MEETING, IdeaSource, MeetingTally

_SOURCES = Idea.source_meetings.through
_REPRESENTED = Meeting.organisations.through


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic(savepoint=False)
def days_refresh(programme_id: int, days: Iterable[datetime.date] | None) -> None:
    """Recompute the programme's meeting tallies of ``days`` (every day when None), after
    any other transaction recomputing them has committed (``seir.locks``)."""
    tallies = MeetingTally.objects.filter(programme_id=programme_id)
    meetings = Meeting.objects.filter(programme_id=programme_id)
    if days is not None:
        days = sorted(set(days))
        if not days:
            return
        tallies = tallies.filter(day__in=days)
        meetings = meetings.filter(
            held_at__gte=_midnight(days[0]),
            held_at__lt=_midnight(days[-1] + datetime.timedelta(days=1)),
            held_at__date__in=days,
        )
    locks.hold("scouting.tallies.days", [programme_id])
    tallies.delete()
    keys = ("day", "logged_by_id")
    meetings = meetings.annotate(day=TruncDate("held_at")).order_by()
    every = meetings.values(*keys, "meeting_type").annotate(n=Count("id"))
    # A sector's rows are not split by type (no figure asks for both): a fifth as many.
    by_sector = (
        meetings.filter(organisations__isnull=False)
        .values(*keys, tally_sector=F("organisations__sector"))
        .annotate(n=Count("id", distinct=True))
    )
    MeetingTally.objects.bulk_create(
        [
            MeetingTally(
                programme_id=programme_id,
                day=r["day"],
                logged_by_id=r["logged_by_id"],
                meeting_type=r.get("meeting_type", ANY_TYPE),
                sector=r.get("tally_sector", EVERY_MEETING),
                meetings=r["n"],
            )
            for rows in (every, by_sector)
            for r in rows
        ],
        batch_size=1000,
    )


@transaction.atomic(savepoint=False)
def ideas_refresh(
    idea_ids: Iterable[int] | None = None, *, programme_id: int | None = None
) -> None:
    """Recompute the source rows of ``idea_ids`` (or of every idea of ``programme_id``),
    after any other transaction recomputing their programme's rows has committed."""
    if idea_ids is not None:
        idea_ids = list(set(idea_ids))
        if not idea_ids:
            return
        programmes = Idea.objects.filter(pk__in=idea_ids).values_list("programme_id", flat=True)
        locks.hold("scouting.tallies.ideas", programmes)
        IdeaSource.objects.filter(idea_id__in=idea_ids).delete()
        links = _SOURCES.objects.filter(idea_id__in=idea_ids)
    else:
        locks.hold("scouting.tallies.ideas", [programme_id])
        IdeaSource.objects.filter(programme_id=programme_id).delete()
        links = _SOURCES.objects.filter(idea__programme_id=programme_id)
    keys = ("idea_id", "idea__programme_id", "day", "meeting__logged_by_id")
    links = links.annotate(day=TruncDate("meeting__held_at")).order_by()
    every = links.values(*keys).distinct()
    by_sector = (
        links.filter(meeting__organisations__isnull=False)
        .values(*keys, tally_sector=F("meeting__organisations__sector"))
        .distinct()
    )
    rows = [
        IdeaSource(
            idea_id=r["idea_id"],
            programme_id=r["idea__programme_id"],
            day=r["day"],
            logged_by_id=r["meeting__logged_by_id"],
            sector=r.get("tally_sector", EVERY_MEETING),
        )
        for found in (every, by_sector)
        for r in found
    ]
    _link_previous(rows)
    _with_ventures(rows)
    IdeaSource.objects.bulk_create(rows, batch_size=1000)


def _link_previous(rows: list[IdeaSource]) -> None:
    """Each row's ``prev_day`` and ``prev_day_by_seir`` (``IdeaSource``): rows are
    recomputed a whole idea at a time, so every row of the idea is here."""
    rows.sort(key=lambda r: (r.idea_id, r.sector, r.day, r.logged_by_id or 0))
    last_any: dict[tuple, datetime.date] = {}
    last_seir: dict[tuple, datetime.date] = {}
    for r in rows:
        chain = (r.idea_id, r.sector)
        r.prev_day = last_any.get(chain)
        r.prev_day_by_seir = last_seir.get((*chain, r.logged_by_id))
        last_any[chain] = last_seir[(*chain, r.logged_by_id)] = r.day


def _with_ventures(rows: list[IdeaSource]) -> None:
    """Each row's idea's venture, with that venture's programme, SEiR and first entry
    into the target stage (one query for the ideas of ``rows``)."""
    ideas = {r.idea_id for r in rows}
    if not ideas:
        return
    ventures = {
        idea_id: values
        for idea_id, *values in Idea.objects.filter(
            pk__in=ideas, venture__isnull=False
        ).values_list(
            "pk",
            "venture_id",
            "venture__programme_id",
            "venture__seir_id",
            "venture__target_reached_at",
        )
    }
    for r in rows:
        (
            r.venture_id,
            r.venture_programme_id,
            r.venture_seir_id,
            r.venture_target_reached_at,
        ) = ventures.get(r.idea_id, (None, None, None, None))


@transaction.atomic(savepoint=False)
def ventures_refresh(*, programme_id: int, venture_ids: Iterable[int] | None = None) -> None:
    """Copy what the programme's source rows hold of their ideas' ventures (programme,
    SEiR, first entry into the target stage) anew from those ventures (only
    ``venture_ids`` when given), after any other transaction recomputing the programme's
    source rows has committed. (An idea's venture is in the idea's programme: the
    promotion and the link both hold to it.)"""
    rows = IdeaSource.objects.filter(programme_id=programme_id, venture__isnull=False)
    if venture_ids is not None:
        venture_ids = list(set(venture_ids))
        if not venture_ids:
            return
        rows = rows.filter(venture_id__in=venture_ids)
    locks.hold("scouting.tallies.ideas", [programme_id])
    venture = Venture.objects.filter(pk=OuterRef("venture_id"))
    rows.update(
        venture_programme_id=Subquery(venture.values("programme_id")),
        venture_seir_id=Subquery(venture.values("seir_id")),
        venture_target_reached_at=Subquery(venture.values("target_reached_at")),
    )


def meetings_refresh(meeting_ids: Iterable[int], *, also_days: Iterable = ()) -> None:
    """Recompute everything these meetings count in: their days' tallies and the source
    rows of the ideas they led to. ``also_days``: (programme id, day) pairs to recompute
    as well (where a meeting was before it moved or went)."""
    meeting_ids = list(set(meeting_ids))
    by_programme: dict[int, set[datetime.date]] = {}
    for programme_id, day in also_days:
        by_programme.setdefault(programme_id, set()).add(day)
    if meeting_ids:
        for programme_id, held_at in Meeting.objects.filter(pk__in=meeting_ids).values_list(
            "programme_id", "held_at"
        ):
            by_programme.setdefault(programme_id, set()).add(local_day(held_at))
    for programme_id, days in by_programme.items():
        days_refresh(programme_id, days)
    if meeting_ids:
        ideas_refresh(
            _SOURCES.objects.filter(meeting_id__in=meeting_ids).values_list("idea_id", flat=True)
        )


@receiver(targets_refreshed, dispatch_uid="scouting_sources_targets")
def _targets_refreshed(sender, programme_id, venture_ids, **kwargs):
    ventures_refresh(programme_id=programme_id, venture_ids=venture_ids)


def programme_rebuild(programme_id: int) -> None:
    """Every summary row of the programme from scratch (after bulk writes, and to check)."""
    days_refresh(programme_id, None)
    ideas_refresh(programme_id=programme_id)


# --- signals: every write through the ORM's instances --------------------------------


def _meeting_changed(meeting, before):
    """A meeting was logged, or moved to another day, programme, SEiR or type."""
    also = [(before["programme"], local_day(before["held_at"]))] if before else []
    meetings_refresh([meeting.pk], also_days=also)


on_change(
    Meeting,
    # Every field a tally is keyed by: the type too (a corrected type moves its count).
    ("programme", "held_at", "logged_by", "meeting_type"),
    _meeting_changed,
    uid="scouting_tally_meeting",
    on_create=True,
)


@receiver(m2m_changed, sender=_REPRESENTED, dispatch_uid="scouting_tally_represented")
def _represented_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        instance._tally_meetings = list(instance.meetings.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        meetings_refresh([instance.pk])
    elif action == "post_clear":
        meetings_refresh(getattr(instance, "_tally_meetings", []))
    else:
        meetings_refresh(pk_set or [])


@receiver(m2m_changed, sender=_SOURCES, dispatch_uid="scouting_tally_sources")
def _sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        instance._tally_ideas = list(instance.ideas.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        ideas_refresh([instance.pk])
    elif action == "post_clear":
        ideas_refresh(getattr(instance, "_tally_ideas", []))
    else:
        ideas_refresh(pk_set or [])


on_change(
    Idea,
    ("venture",),
    lambda idea, before: ideas_refresh([idea.pk]),
    uid="scouting_sources_idea_venture",
)


def _venture_changed(venture, before):
    """A venture moved to another SEiR (or programme): its ideas' rows say so."""
    for programme_id in {venture.programme_id, before["programme"]}:
        ventures_refresh(programme_id=programme_id, venture_ids=[venture.pk])


on_change(Venture, ("programme", "seir"), _venture_changed, uid="scouting_sources_venture")

on_change(
    Organisation,
    ("sector",),
    lambda organisation, before: meetings_refresh(
        organisation.meetings.values_list("pk", flat=True)
    ),
    uid="scouting_tally_organisation",
)


@receiver(pre_delete, sender=Organisation, dispatch_uid="scouting_tally_org_deleting")
def _organisation_deleting(sender, instance, **kwargs):
    instance._tally_meetings = list(instance.meetings.values_list("pk", flat=True))


@receiver(post_delete, sender=Organisation, dispatch_uid="scouting_tally_org_deleted")
def _organisation_deleted(sender, instance, **kwargs):
    meetings_refresh(getattr(instance, "_tally_meetings", []))
