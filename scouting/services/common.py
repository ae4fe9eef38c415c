"""Helpers every scouting service shares: the refusal type and event recording."""

from __future__ import annotations

from typing import Any

from events.services import event_record
from seir.refusals import Refused


class ScoutingError(Refused):
    """A refusal a person can act on; views show ``message`` beside the form."""


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
