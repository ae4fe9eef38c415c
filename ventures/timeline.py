"""A venture's timeline: the events recorded about it, newest first, a page at a time.

Every app records what happens with ``events.services.event_record(venture=...)``, so its
events appear here, shown by each kind's template; nothing registers a source. A page
is ONE query whatever the length of the history; "Show older" loads the next page.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from events.models import Event, EventVisibility
from events.registry import kinds
from events.selectors import venture_event_page

from .models import Venture
from .permissions import VentureAccess, can_see_staff_notes

TIMELINE_PAGE_SIZE = 20
# "Show older" offsets are bounded: a hand-edited huge number reads as the end.
MAX_OFFSET = 100_000


@dataclass(frozen=True)
class TimelinePage:
    events: list[Event]
    offset: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.events)


def parse_offset(raw: str | None) -> int:
    try:
        return min(max(0, int(raw or 0)), MAX_OFFSET)
    except (TypeError, ValueError):
        return 0


def venture_timeline(
    *,
    user: User,
    venture: Venture,
    access: VentureAccess | None = None,
    offset: int = 0,
    limit: int = TIMELINE_PAGE_SIZE,
) -> TimelinePage:
    """The events ``user`` may see about ``venture`` (staff-only ones only for the
    programme's SEiR and administrators)."""
    visibilities = {EventVisibility.TEAM}
    if can_see_staff_notes(user, venture, access):
        visibilities.add(EventVisibility.STAFF)
    # Kinds with a narrower audience (registered by other apps) that refuses this user.
    excluded = [
        kind.code
        for kind in kinds()
        if kind.audience is not None and not kind.audience(user, venture, access)
    ]
    events, has_more = venture_event_page(
        venture_id=venture.pk,
        visibilities=visibilities,
        offset=offset,
        limit=limit,
        exclude_kinds=excluded,
    )
    return TimelinePage(events=events, offset=offset, has_more=has_more)
