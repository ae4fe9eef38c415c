from .actions import checklist_start, item_add, item_edit, item_move, item_remove
from .files import evidence_download, evidence_link, evidence_upload
from .pages import item_detail, venture_checklist

__all__ = [
    "checklist_start",
    "evidence_download",
    "evidence_link",
    "evidence_upload",
    "item_add",
    "item_detail",
    "item_edit",
    "item_move",
    "item_remove",
    "venture_checklist",
]
