"""Keeps ``IntroductionDay`` (introductions per programme, day made and current step)
and ``ContractDay`` (contracts per programme, start date and status, with their value)
equal to what they count, in the transaction of the write that changes it:
``seir.changes.on_change`` recomputes the days an introduction (a contract) was and is
counted on whenever its step, its date or its venture (its status, start date, value or
venture) changes, whoever saves it (the services, the admin, factories), and a deletion
(its own, or its venture's) recounts its day.
``bulk_create`` sends no signal: the benchmark's seeding calls ``programme_rebuild``. A
venture never moves to another programme, so neither do its introductions and contracts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete

from seir import locks
from seir.changes import on_change
from ventures.models import Venture

from .models import Contract, ContractDay, Introduction, IntroductionDay

COUNTED = ("step", "made_on", "venture")


@dataclass(frozen=True)
class _Days:
    """A kind of day rows: the model, what it counts (``source``, by ``day`` and ``key``)
    and the sums each row holds."""

    model: type
    source: type
    day: str
    key: str
    sums: dict


_INTRODUCTIONS = _Days(
    IntroductionDay, Introduction, "made_on", "step", {"introductions": Count("id")}
)
_CONTRACTS = _Days(
    ContractDay, Contract, "start_date", "status", {"contracts": Count("id"), "value": Sum("value")}
)


@transaction.atomic(savepoint=False)
def _refresh(kind: _Days, programme_id: int, days: Iterable[datetime.date] | None) -> None:
    """Recompute the programme's rows of ``kind`` for ``days`` (every day when None),
    after any other transaction recomputing the programme's rows has committed
    (``seir.locks``)."""
    rows = kind.model.objects.filter(programme_id=programme_id)
    counted = kind.source.objects.filter(venture__programme_id=programme_id)
    if days is not None:
        days = {d for d in days if d is not None}
        if not days:
            return
        rows = rows.filter(day__in=days)
        counted = counted.filter(**{f"{kind.day}__in": days})
    locks.hold("commissioning.tallies", [programme_id])
    rows.delete()
    kind.model.objects.bulk_create(
        [
            kind.model(
                programme_id=programme_id, day=r.pop(kind.day), **{kind.key: r.pop(kind.key)}, **r
            )
            for r in counted.values(kind.day, kind.key).annotate(**kind.sums).order_by()
        ],
        batch_size=1000,
    )


def days_refresh(programme_id: int, days: Iterable[datetime.date] | None) -> None:
    """The introductions' day rows of ``days`` (every day when None)."""
    _refresh(_INTRODUCTIONS, programme_id, days)


def programme_rebuild(programme_id: int) -> None:
    """Every day row of the programme, introductions' and contracts', from scratch."""
    days_refresh(programme_id, None)
    _refresh(_CONTRACTS, programme_id, None)


def _programme_of(venture_id) -> int | None:
    return Venture.objects.filter(pk=venture_id).values_list("programme_id", flat=True).first()


def _changed(kind: _Days):
    """After a save: recount the day it was and is counted on, in its programme (and its
    former venture's, were it moved to another)."""

    def handler(instance, before):
        days = {getattr(instance, kind.day)}
        programmes = {_programme_of(instance.venture_id)}
        if before:
            days.add(before[kind.day])
            programmes.add(_programme_of(before["venture"]))
        for programme_id in programmes - {None}:
            _refresh(kind, programme_id, days)

    return handler


def _deleted(kind: _Days):
    """Deleted on its own or with its venture (whose row goes after it)."""

    def receiver_(sender, instance, **kwargs):
        programme_id = _programme_of(instance.venture_id)
        if programme_id is not None:
            _refresh(kind, programme_id, {getattr(instance, kind.day)})

    return receiver_


on_change(Introduction, COUNTED, _changed(_INTRODUCTIONS), uid="introduction_day", on_create=True)
post_delete.connect(
    _deleted(_INTRODUCTIONS),
    sender=Introduction,
    weak=False,
    dispatch_uid="introduction_day_deleted",
)
on_change(
    Contract,
    ("status", "start_date", "venture", "value"),
    _changed(_CONTRACTS),
    uid="contract_day",
    on_create=True,
)
post_delete.connect(
    _deleted(_CONTRACTS), sender=Contract, weak=False, dispatch_uid="contract_day_deleted"
)
