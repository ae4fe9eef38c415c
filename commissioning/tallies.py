"""Keeps ``IntroductionDay`` (introductions per programme, day made and current step)
equal to the introductions it counts, in the transaction of the write that changes them:
``seir.changes.on_change`` recomputes the days an introduction was and is counted on
whenever its step, its date or its venture changes, whoever saves it (the services, the
admin, factories), and a deletion (an introduction's, or its venture's) recounts its day.
``bulk_create`` sends no signal: the benchmark's seeding calls ``programme_rebuild``. A
venture never moves to another programme, so neither do its introductions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete
from django.dispatch import receiver

from seir import locks
from seir.changes import on_change
from ventures.models import Venture

from .models import Introduction, IntroductionDay

COUNTED = ("step", "made_on", "venture")


@transaction.atomic(savepoint=False)
def days_refresh(programme_id: int, days: Iterable[datetime.date] | None) -> None:
    """Recompute the programme's rows of ``days`` (every day when None), after any other
    transaction recomputing the programme's rows has committed (``seir.locks``)."""
    rows = IntroductionDay.objects.filter(programme_id=programme_id)
    introductions = Introduction.objects.filter(venture__programme_id=programme_id)
    if days is not None:
        days = {d for d in days if d is not None}
        if not days:
            return
        rows = rows.filter(day__in=days)
        introductions = introductions.filter(made_on__in=days)
    locks.hold("commissioning.tallies", [programme_id])
    rows.delete()
    IntroductionDay.objects.bulk_create(
        [
            IntroductionDay(programme_id=programme_id, day=day, step=step, introductions=n)
            for day, step, n in introductions.values_list("made_on", "step")
            .annotate(n=Count("id"))
            .order_by()
        ],
        batch_size=1000,
    )


def programme_rebuild(programme_id: int) -> None:
    days_refresh(programme_id, None)


def _programme_of(venture_id) -> int | None:
    return Venture.objects.filter(pk=venture_id).values_list("programme_id", flat=True).first()


def _introduction_changed(introduction, before):
    """Recount the day it was and is counted on, in its programme (and its former
    venture's, were it moved to another)."""
    days = {introduction.made_on}
    programmes = {_programme_of(introduction.venture_id)}
    if before:
        days.add(before["made_on"])
        programmes.add(_programme_of(before["venture"]))
    for programme_id in programmes - {None}:
        days_refresh(programme_id, days)


on_change(Introduction, COUNTED, _introduction_changed, uid="introduction_day", on_create=True)


@receiver(post_delete, sender=Introduction, dispatch_uid="introduction_day_deleted")
def _introduction_deleted(sender, instance, **kwargs):
    """Deleted on its own or with its venture (whose row goes after its introductions)."""
    programme_id = _programme_of(instance.venture_id)
    if programme_id is not None:
        days_refresh(programme_id, {instance.made_on})
