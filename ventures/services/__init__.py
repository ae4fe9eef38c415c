"""Writes. Each service checks the actor's permission, validates, records what it did
and runs inside one transaction. One module per concern; everything is re-exported here,
so callers write ``from ventures import services`` and ``services.venture_move(...)``."""

from .confirmations import gate_condition_confirm, gate_condition_withdraw
from .errors import (
    STAFF_EDITABLE_FIELDS,
    TEAM_EDITABLE_FIELDS,
    EditConflict,
    MoveRefused,
    VentureError,
)
from .lifecycle import venture_create, venture_move, venture_set_status
from .notes import venture_note_add
from .profile import field_display, raw_value, venture_revert_change, venture_update_profile
from .stages import programme_install_default_stages
from .team import team_member_add, team_member_remove, team_member_remove_check

__all__ = [
    "STAFF_EDITABLE_FIELDS",
    "TEAM_EDITABLE_FIELDS",
    "EditConflict",
    "MoveRefused",
    "VentureError",
    "field_display",
    "gate_condition_confirm",
    "gate_condition_withdraw",
    "programme_install_default_stages",
    "raw_value",
    "team_member_add",
    "team_member_remove",
    "team_member_remove_check",
    "venture_create",
    "venture_move",
    "venture_note_add",
    "venture_revert_change",
    "venture_set_status",
    "venture_update_profile",
]
