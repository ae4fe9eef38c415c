"""The event kinds ventures records, who hears of them and the handler that follows
every event (registered from VenturesConfig.ready()).

Each kind's template renders one event: a title line and any detail, from the event's
``data`` (a snapshot taken when it happened, so it reads the same after later edits).
"""

from __future__ import annotations

from events.models import EventVisibility
from events.registry import (
    ALL_KINDS,
    EventKind,
    notify,
    notify_preloader,
    register_kinds,
    subscribe,
)

VENTURE_CREATED = "venture.created"
VENTURE_MOVED = "venture.moved"
STATUS_CHANGED = "venture.status_changed"
PROFILE_EDITED = "venture.profile_edited"
CHANGE_REVERTED = "venture.change_reverted"
NOTE_ADDED = "venture.note_added"
GATE_CONFIRMED = "venture.gate_confirmed"
GATE_EVIDENCE_REPLACED = "venture.gate_evidence_replaced"
GATE_WITHDRAWN = "venture.gate_withdrawn"
TEAM_MEMBER_ADDED = "venture.team_member_added"
TEAM_MEMBER_REMOVED = "venture.team_member_removed"

KINDS = (
    EventKind(VENTURE_CREATED, "Venture added", "ventures/events/created.jinja"),
    EventKind(VENTURE_MOVED, "Stage moved", "ventures/events/moved.jinja"),
    EventKind(STATUS_CHANGED, "Status changed", "ventures/events/status_changed.jinja"),
    EventKind(PROFILE_EDITED, "Profile edited", "ventures/events/profile_edited.jinja"),
    EventKind(CHANGE_REVERTED, "Profile change reverted", "ventures/events/change_reverted.jinja"),
    # A note's own visibility decides the event's (SEiR-only notes are staff events).
    EventKind(NOTE_ADDED, "Note added", "ventures/events/note_added.jinja"),
    EventKind(GATE_CONFIRMED, "Gate condition confirmed", "ventures/events/gate_confirmed.jinja"),
    EventKind(
        GATE_EVIDENCE_REPLACED,
        "Gate evidence replaced",
        "ventures/events/gate_evidence_replaced.jinja",
    ),
    EventKind(
        GATE_WITHDRAWN, "Gate confirmation withdrawn", "ventures/events/gate_withdrawn.jinja"
    ),
    EventKind(TEAM_MEMBER_ADDED, "Team member added", "ventures/events/team_member_added.jinja"),
    EventKind(
        TEAM_MEMBER_REMOVED, "Team member removed", "ventures/events/team_member_removed.jinja"
    ),
)

STAFF = EventVisibility.STAFF


def register() -> None:
    register_kinds(*KINDS)
    from . import handlers
    from . import notify as n

    subscribe(ALL_KINDS)(handlers.venture_touch_last_activity)
    notify_preloader(n.preload_ventures)

    # A stage move: the team hears at once; the SEiR and PCT managers in their digest.
    notify(
        VENTURE_MOVED,
        audience=n.anyone_of(n.team, n.seir, n.managers),
        may_see=n.reads(),
        link=n.venture_page,
        email={"entrepreneur": "immediate"},
    )
