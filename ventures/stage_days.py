"""Keeps ``StageDay`` (the forecast's candidates: active ventures not yet counting
towards the target, by stage and day entered) equal to the ventures it counts, in the
transaction of the write that changes them.

A venture counts while it is active and has not reached the target stage; what decides
its row is its programme, stage and the day it entered that stage. Every save that
changes one of those or its status (``seir.changes.on_change``: services, the admin,
factories) recounts the row it was in and the row it is in. The first entry into the
target stage (``target_reached_at``) is written by ``ventures.targets`` with an UPDATE,
for a move or a new target stage; its ``targets_refreshed`` signal recounts the rows of
the ventures whose value it changed. A bulk import (``ventures.bulk``), which sends no
signal, recounts its ventures' rows itself. A deleted venture's row is recounted after
it goes. Each recount deletes the rows and inserts them again from a grouped
count, holding the programme's ``seir.locks`` lock, so two writers never count without
each other's rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from seir import locks
from seir.changes import on_change
from seir.dates import day_start, next_day_start

from .models import StageDay, Venture, VentureStatus
from .targets import targets_refreshed

COUNTED = ("programme", "stage", "status", "stage_entered_at", "target_reached_at")
# The ventures the rows count (relative to Venture), as the forecast defines them.
CANDIDATE = Q(status=VentureStatus.ACTIVE, target_reached_at__isnull=True)

Key = tuple[int, "datetime.date | None"]  # (stage id, day entered)
# More rows (or ventures) than this to recount (a bulk import's): the programme's every
# row, one grouped count, rather than a condition per row.
MANY_KEYS = 64


def entered_day(moment: datetime.datetime | None) -> datetime.date | None:
    """The day, in the project's time zone, of the instant a venture entered its stage."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _entered_on(day: datetime.date | None) -> Q:
    """The ventures (relative to Venture) that entered their stage on ``day``, by a range
    of instants the (stage, entered) index answers."""
    if day is None:
        return Q(stage_entered_at__isnull=True)
    start, end = day_start(day), next_day_start(day)
    if start is None or end is None:  # a day at the ends of the calendar: no venture's
        return Q(pk__in=[])
    return Q(stage_entered_at__gte=start, stage_entered_at__lt=end)


@transaction.atomic(savepoint=False)
def days_refresh(programme_id: int, keys: Iterable[Key] | None) -> None:
    """Recompute the programme's rows of ``keys`` (every row when None), after any other
    transaction recomputing the programme's rows has committed (``seir.locks``)."""
    rows = StageDay.objects.filter(programme_id=programme_id)
    ventures = Venture.objects.filter(CANDIDATE, programme_id=programme_id)
    if keys is not None:
        keys = {(stage_id, day) for stage_id, day in keys if stage_id is not None}
        if not keys:
            return
    if keys is not None and len(keys) <= MANY_KEYS:
        row_q, venture_q = Q(), Q()
        for stage_id, day in sorted(keys, key=lambda k: (k[0], k[1] or datetime.date.min)):
            row_q |= Q(stage_id=stage_id, day=day)  # day=None: IS NULL
            venture_q |= Q(stage_id=stage_id) & _entered_on(day)
        rows, ventures = rows.filter(row_q), ventures.filter(venture_q)
    locks.hold("ventures.stage_days", [programme_id])
    rows.delete()
    counted = (
        ventures.annotate(day=TruncDate("stage_entered_at", tzinfo=timezone.get_default_timezone()))
        .values_list("stage_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    StageDay.objects.bulk_create(
        [
            StageDay(programme_id=programme_id, stage_id=stage_id, day=day, ventures=n)
            for stage_id, day, n in counted
        ],
        batch_size=1000,
    )


def programme_rebuild(programme_id: int) -> None:
    """Every row of the programme from scratch (after bulk writes, and to check)."""
    days_refresh(programme_id, None)


def ventures_refresh(*, programme_id: int, venture_ids: Iterable[int]) -> None:
    """Recount the rows these ventures of the programme are in."""
    venture_ids = list(venture_ids)
    if not venture_ids:
        return
    if len(venture_ids) > MANY_KEYS:  # a bulk import: one grouped count of them all
        programme_rebuild(programme_id)
        return
    found = Venture.objects.filter(programme_id=programme_id, pk__in=venture_ids)
    keys = {
        (stage_id, entered_day(entered))
        for stage_id, entered in found.values_list("stage_id", "stage_entered_at").order_by()
    }
    days_refresh(programme_id, keys)


def _venture_changed(venture: Venture, before: dict | None) -> None:
    """A venture added, or moved to another stage, status or programme: the row it was
    in (when it existed) and the row it is in."""
    now = (venture.stage_id, entered_day(venture.stage_entered_at))
    if before is None:
        days_refresh(venture.programme_id, [now])
        return
    then = (before["stage"], entered_day(before["stage_entered_at"]))
    if before["programme"] == venture.programme_id:
        days_refresh(venture.programme_id, [now, then])
    else:
        days_refresh(before["programme"], [then])
        days_refresh(venture.programme_id, [now])


on_change(Venture, COUNTED, _venture_changed, uid="venture_stage_days", on_create=True)


@receiver(targets_refreshed, dispatch_uid="venture_stage_days_targets")
def _targets_refreshed(sender, programme_id, venture_ids, reached_changed=None, **kwargs):
    """The rows of the ventures whose first entry into the target stage the recompute
    changed (they stop or start being candidates); all of the programme's rows after a
    programme-wide recompute (a new target stage or stage order). A move's own rows were
    recounted when the venture was saved."""
    if venture_ids is None:
        programme_rebuild(programme_id)
    else:
        ventures_refresh(programme_id=programme_id, venture_ids=reached_changed or [])


@receiver(post_delete, sender=Venture, dispatch_uid="venture_stage_days_deleted")
def _venture_deleted(sender, instance, **kwargs):
    """A venture gone: the row it was in no longer counts it."""
    days_refresh(
        instance.programme_id, [(instance.stage_id, entered_day(instance.stage_entered_at))]
    )
