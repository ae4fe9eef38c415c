"""Thin views: check access through selectors and permissions, validate a form, call one
service. One module per page family; the URLconf imports them from here. View names never
repeat a service's or a selector's name (``venture_move_view`` calls ``venture_move``)."""

from .actions import (
    gate_confirm,
    team_add,
    team_remove,
    venture_move_view,
    venture_note_add_view,
    venture_status,
)
from .activity import venture_activity_log
from .board import board, board_column, venture_card
from .listing import venture_export, venture_list_page
from .pages import (
    my_ventures,
    venture_create_page,
    venture_detail,
    venture_edit,
    venture_revert,
    venture_timeline_page,
)

__all__ = [
    "board",
    "board_column",
    "gate_confirm",
    "my_ventures",
    "team_add",
    "team_remove",
    "venture_activity_log",
    "venture_card",
    "venture_create_page",
    "venture_detail",
    "venture_edit",
    "venture_export",
    "venture_list_page",
    "venture_move_view",
    "venture_note_add_view",
    "venture_revert",
    "venture_status",
    "venture_timeline_page",
]
