"""Keeps ``ItemDay`` (checklist items per programme and day) equal to the items it
counts, in the transaction of the write that changes them: ``seir.changes.on_change``
recomputes the days an item was and is counted on whenever one of the fields counted (status, due date,
expiry, removal) changes, whoever saves it. Items made from a template have no due date
or expiry, so creating a checklist changes no day; bulk seeding calls
``programme_rebuild``. Items are deleted only with their checklist (a venture deleted in
the admin, or its programme): the checklist's delete signals recount the days its items
were counted on, once a checklist, leaving the items' own delete fast.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from seir import locks
from seir.changes import on_change

from .models import DONE_STATUSES, Checklist, ChecklistItem, ItemDay, ItemStatus

COUNTED = ("status", "due_date", "expires_on", "removed_at")

# The rows each count reads (relative to ChecklistItem), as progress.scope defines them.
OPEN = Q(removed_at__isnull=True) & ~Q(status__in=[*DONE_STATUSES, ItemStatus.SUBMITTED])
ACCEPTED = Q(removed_at__isnull=True, status=ItemStatus.ACCEPTED)


@transaction.atomic(savepoint=False)
def days_refresh(programme_id: int, days: Iterable[datetime.date] | None) -> None:
    """Recompute the programme's rows of ``days`` (every day when None), after any other
    transaction recomputing the programme's rows has committed (``seir.locks``)."""
    rows = ItemDay.objects.filter(programme_id=programme_id)
    items = ChecklistItem.objects.filter(checklist__venture__programme_id=programme_id)
    due, expiring = (
        items.filter(OPEN, due_date__isnull=False),
        items.filter(ACCEPTED, expires_on__isnull=False),
    )
    if days is not None:
        days = {d for d in days if d is not None}
        if not days:
            return
        rows = rows.filter(day__in=days)
        due, expiring = due.filter(due_date__in=days), expiring.filter(expires_on__in=days)
    locks.hold("checklists.tallies", [programme_id])
    rows.delete()
    counts: dict[datetime.date, list[int]] = {}
    for day, n in due.values_list("due_date").annotate(n=Count("id")).order_by():
        counts.setdefault(day, [0, 0])[0] = n
    for day, n in expiring.values_list("expires_on").annotate(n=Count("id")).order_by():
        counts.setdefault(day, [0, 0])[1] = n
    ItemDay.objects.bulk_create(
        [
            ItemDay(programme_id=programme_id, day=day, open_due=a, accepted_expiring=b)
            for day, (a, b) in counts.items()
        ],
        batch_size=1000,
    )


def programme_rebuild(programme_id: int) -> None:
    days_refresh(programme_id, None)


def _item_changed(item, before):
    """Recount the days the item was and is counted on (its due date and its expiry)."""
    days = {item.due_date, item.expires_on}
    if before:
        days |= {before["due_date"], before["expires_on"]}
    days.discard(None)
    if not days:
        return
    programme_id = (
        Checklist.objects.filter(pk=item.checklist_id)
        .values_list("venture__programme_id", flat=True)
        .first()
    )
    days_refresh(programme_id, days)


on_change(ChecklistItem, COUNTED, _item_changed, uid="checklist_item_day", on_create=True)


_DELETING = "_checklist_days_deleting"


@receiver(pre_delete, sender=Checklist, dispatch_uid="checklist_days_deleting")
def _checklist_deleting(sender, instance, **kwargs):
    """Before a checklist and its items go (every pre_delete is sent before the first
    row is deleted): its programme and the days its items are counted on."""
    rows = ChecklistItem.objects.filter(checklist=instance).values_list(
        "checklist__venture__programme_id", "due_date", "expires_on"
    )
    found = set(rows.distinct().order_by())
    days = {day for _, due, expires in found for day in (due, expires) if day is not None}
    if days:
        setattr(instance, _DELETING, (next(iter(found))[0], days))


@receiver(post_delete, sender=Checklist, dispatch_uid="checklist_days_deleted")
def _checklist_deleted(sender, instance, **kwargs):
    """Its items gone: the days they were counted on no longer count them."""
    deleting = getattr(instance, _DELETING, None)
    if deleting is not None:
        days_refresh(*deleting)
