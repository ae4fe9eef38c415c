"""Writes. Each service checks the actor's permission, validates, records an event and
runs inside one transaction. Re-exported here: ``from checklists import services``."""

from .checklists import (
    ItemConflict,
    checklist_create,
    checklist_item_add,
    checklist_item_remove,
    checklist_item_update,
    item_details,
    item_details_seen,
)
from .errors import ChecklistError
from .evidence import evidence_add_file, evidence_add_link
from .status import checklist_item_move, checklist_items_expire

__all__ = [
    "ChecklistError",
    "ItemConflict",
    "checklist_create",
    "checklist_item_add",
    "checklist_item_move",
    "checklist_item_remove",
    "checklist_item_update",
    "checklist_items_expire",
    "evidence_add_file",
    "evidence_add_link",
    "item_details",
    "item_details_seen",
]
