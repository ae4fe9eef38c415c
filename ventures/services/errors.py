"""Refusals services raise, and the shared helpers every service uses."""

from __future__ import annotations

from seir.refusals import Refused

from ..models import Venture
from ..permissions import STAFF_EDITABLE_FIELDS, TEAM_EDITABLE_FIELDS  # noqa: F401 - re-exported


class VentureError(Refused):
    """A refusal to show the user (never a 500)."""


class MoveRefused(VentureError):
    def __init__(self, message: str, *, unmet: list[str] | None = None, can_override: bool = False):
        super().__init__(message)
        self.unmet = unmet or []
        self.can_override = can_override


class EditConflict(VentureError):
    """Someone else saved the venture after this edit began.

    ``changed_fields``: the submitted fields others changed since; ``start_values``: each
    one's raw value when the edit began, so a caller can tell which ones the person
    left alone (those can safely take the newly saved value).
    """

    def __init__(self, *, current: Venture, changed_fields: list[str], start_values: dict):
        super().__init__(
            "Someone else saved changes to this venture while you were editing. "
            "Your changes have not been saved: check the current values, then save again."
        )
        self.current = current
        self.changed_fields = changed_fields
        self.start_values = start_values


def lock_venture(venture: Venture) -> Venture:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        Venture.objects.select_for_update(of=("self",))
        .select_related("legal_form")
        .get(pk=venture.pk)
    )
