"""The event kinds reminders records (a person's calendar link made or turned off)."""

from events.models import EventVisibility
from events.registry import EventKind, register_kinds

_T = "reminders/events/{}.jinja"

EVENT_KINDS = (
    EventKind(
        "calendar.link_created",
        "Calendar link made",
        _T.format("link_created"),
        visibility=EventVisibility.STAFF,
    ),
    EventKind(
        "calendar.link_revoked",
        "Calendar link turned off",
        _T.format("link_revoked"),
        visibility=EventVisibility.STAFF,
    ),
)


def register() -> None:
    register_kinds(*EVENT_KINDS)
