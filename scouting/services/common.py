"""Helpers every scouting service shares: the refusal type and event recording."""

from __future__ import annotations

from typing import Any

from events.services import event_record
from seir.refusals import Refused


class ScoutingError(Refused):
    """A refusal a person can act on; views show ``message`` beside the form."""


class EditedMeanwhile(ScoutingError):
    """An edit form shown before someone else saved the record: saving it would put back
    values they changed. ``current`` is the record as saved now (locked, read afresh)."""

    def __init__(self, current):
        super().__init__("This record was changed by someone else while you were editing.")
        self.current = current


class RecordGone(ScoutingError):
    """The record asked for no longer exists as it was shown: merged into another or
    removed a moment ago (or, for a person, their data erased)."""


def refuse_if_edited_meanwhile(current, seen_at: str | None) -> None:
    """``seen_at``: the record's ``updated_at`` (ISO 8601) when the form was shown; None
    from a page that did not send it."""
    if seen_at is not None and seen_at != current.updated_at.isoformat():
        raise EditedMeanwhile(current)


def record(actor, kind: str, subject, *, data: dict[str, Any] | None = None, **kwargs):
    """Record a scouting event (kinds are registered in ScoutingConfig.ready)."""
    return event_record(actor=actor, kind=f"scouting.{kind}", subject=subject, data=data, **kwargs)


def changed_fields(instance, changes: dict[str, Any]) -> list[str]:
    """Apply ``changes`` to ``instance``; return the names whose value really changed."""
    names = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            names.append(name)
    return names
