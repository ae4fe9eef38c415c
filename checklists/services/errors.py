from __future__ import annotations

from seir.refusals import Refused

from ..models import ChecklistItem


class ChecklistError(Refused):
    """A refusal to show the person (never a 500)."""


def lock_item(item: ChecklistItem) -> ChecklistItem:
    return (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("checklist__venture")
        .get(pk=item.pk)
    )


def item_data(item: ChecklistItem, **extra) -> dict:
    return {"item_id": item.pk, "label": item.label, "section": item.section, **extra}
