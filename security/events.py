"""The event kinds security records (registered from SecurityConfig.ready()).

They are about a person's own account, not a programme: recorded with no programme,
staff-only, and read in the admin's event list."""

from __future__ import annotations

from events.models import EventVisibility
from events.registry import EventKind, register_kinds

TWO_FACTOR_ENROLLED = "security.two_factor_enrolled"
TWO_FACTOR_REMOVED = "security.two_factor_removed"
BACKUP_CODES_MADE = "security.backup_codes_made"
BACKUP_CODE_USED = "security.backup_code_used"
TWO_FACTOR_LOCKED = "security.two_factor_locked"
SIGNED_OUT_EVERYWHERE = "security.signed_out_everywhere"

STAFF = EventVisibility.STAFF


def _kind(code: str, label: str) -> EventKind:
    return EventKind(code, label, f"security/events/{code.split('.')[1]}.jinja", visibility=STAFF)


KINDS = (
    _kind(TWO_FACTOR_ENROLLED, "Two-factor sign-in set up"),
    _kind(TWO_FACTOR_REMOVED, "Two-factor sign-in turned off"),
    _kind(BACKUP_CODES_MADE, "New backup codes made"),
    _kind(BACKUP_CODE_USED, "Backup code used"),
    _kind(TWO_FACTOR_LOCKED, "Two-factor sign-in locked after wrong codes"),
    _kind(SIGNED_OUT_EVERYWHERE, "Signed out everywhere"),
)


def register() -> None:
    register_kinds(*KINDS)
