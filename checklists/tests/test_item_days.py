"""``ItemDay`` always equals the items it counts: after each kind of write the rows are
compared with a count made here, in Python, from the items themselves."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from checklists import services
from checklists.models import ChecklistItem, ItemDay, ItemStatus
from checklists.tallies import programme_rebuild

pytestmark = pytest.mark.django_db

NOT_COUNTED_AS_OPEN = {ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE, ItemStatus.SUBMITTED}


def expected(programme) -> dict:
    due, expiring = Counter(), Counter()
    for item in ChecklistItem.objects.filter(checklist__venture__programme=programme):
        if item.removed_at is not None:
            continue
        if item.due_date and item.status not in NOT_COUNTED_AS_OPEN:
            due[item.due_date] += 1
        if item.expires_on and item.status == ItemStatus.ACCEPTED:
            expiring[item.expires_on] += 1
    days = set(due) | set(expiring)
    return {day: (due[day], expiring[day]) for day in days}


def stored(programme) -> dict:
    rows = ItemDay.objects.filter(programme=programme)
    return {
        r.day: (r.open_due, r.accepted_expiring) for r in rows if r.open_due or r.accepted_expiring
    }


def test_every_kind_of_item_write_keeps_the_day_rows_in_step(programme, seir, checklist):
    today = timezone.localdate()
    items = list(checklist.items.order_by("pk")[:4])
    assert stored(programme) == {}  # items made from the template have no dates

    for i, item in enumerate(items):
        services.checklist_item_update(
            actor=seir, item=item, data={"due_date": today - datetime.timedelta(days=i)}
        )
    assert stored(programme) == expected(programme)
    assert stored(programme)[today - datetime.timedelta(days=1)] == (1, 0)

    # A due date moved, an item accepted with an expiry, one submitted, one removed.
    services.checklist_item_update(
        actor=seir, item=items[0], data={"due_date": today - datetime.timedelta(days=1)}
    )
    assert stored(programme) == expected(programme)
    item = items[1]
    item.refresh_from_db()
    expiry = today + datetime.timedelta(days=10)
    item.status = ItemStatus.SUBMITTED
    item.save()
    assert stored(programme) == expected(programme)
    services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.ACCEPTED, comment="", expires_on=expiry
    )
    assert stored(programme)[expiry] == (0, 1)
    assert stored(programme) == expected(programme)
    services.checklist_item_remove(actor=seir, item=items[2], reason="Not needed")
    assert stored(programme) == expected(programme)

    # The nightly expiry: accepted evidence run out leaves the expiring count.
    services.checklist_items_expire(today=expiry + datetime.timedelta(days=1))
    assert expiry not in stored(programme)
    assert stored(programme) == expected(programme)

    # A save that changes nothing counted writes no row.
    before = list(ItemDay.objects.order_by("pk").values_list("pk", "open_due"))
    items[3].refresh_from_db()
    items[3].guidance = "New guidance"
    items[3].save()
    assert list(ItemDay.objects.order_by("pk").values_list("pk", "open_due")) == before

    # A rebuild from scratch gives the same rows.
    kept = stored(programme)
    programme_rebuild(programme.pk)
    assert stored(programme) == kept == expected(programme)
