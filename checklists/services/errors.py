from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ..models import ChecklistItem


class ChecklistError(Exception):
    """A refusal to show the person (never a 500)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def require(condition: bool, message: str = "You do not have permission to do that.") -> None:
    if not condition:
        raise PermissionDenied(message)


def lock_item(item: ChecklistItem) -> ChecklistItem:
    return (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("checklist__venture")
        .get(pk=item.pk)
    )


def item_data(item: ChecklistItem, **extra) -> dict:
    return {"item_id": item.pk, "label": item.label, "section": item.section, **extra}
