"""Thin views: check access through selectors and permissions, validate a form, call one
service. One module per page family; the URLconf imports them from here."""

from .actions import (
    gate_confirm,
    team_add,
    team_remove,
    venture_move,
    venture_note_add,
    venture_status,
)
from .board import board, board_column, venture_card
from .listing import venture_export, venture_list
from .pages import my_ventures, venture_create, venture_detail, venture_edit, venture_revert

__all__ = [
    "board",
    "board_column",
    "gate_confirm",
    "my_ventures",
    "team_add",
    "team_remove",
    "venture_card",
    "venture_create",
    "venture_detail",
    "venture_edit",
    "venture_export",
    "venture_list",
    "venture_move",
    "venture_note_add",
    "venture_revert",
    "venture_status",
]
