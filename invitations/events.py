"""The event kinds invitations records (registered from InvitationsConfig.ready()).

Invitations carry a person's email address: their events are for the programme's
staff only.
"""

from __future__ import annotations

from events.models import EventVisibility
from events.registry import EventKind, register_kinds

INVITATION_CREATED = "invitation.created"
INVITATION_REVOKED = "invitation.revoked"
INVITATION_ACCEPTED = "invitation.accepted"
PROGRAMME_SETTINGS_CHANGED = "programme.settings_changed"

STAFF = EventVisibility.STAFF

KINDS = (
    EventKind(
        INVITATION_CREATED, "Invitation sent", "invitations/events/created.jinja", visibility=STAFF
    ),
    EventKind(
        INVITATION_REVOKED,
        "Invitation revoked",
        "invitations/events/revoked.jinja",
        visibility=STAFF,
    ),
    EventKind(
        INVITATION_ACCEPTED,
        "Invitation accepted",
        "invitations/events/accepted.jinja",
        visibility=STAFF,
    ),
    EventKind(
        PROGRAMME_SETTINGS_CHANGED,
        "Programme target or period changed",
        "invitations/events/programme_settings_changed.jinja",
        visibility=STAFF,
    ),
)


def register() -> None:
    register_kinds(*KINDS)
