"""Who may read a programme's activity feed, and which events in it."""

from __future__ import annotations

from accounts.models import Programme, User
from accounts.permissions import reads_programme, runs_programme

from .models import EventVisibility


def programme_feed_visibility(user: User, programme: Programme) -> set[str]:
    """The event visibilities ``user`` may read in ``programme``'s feed (empty: none).

    Those who run the programme (its SEiRs and administrators, global administrators)
    read everything, staff-only events included; its PCT managers read the rest; nobody
    else reads the feed.
    """
    if runs_programme(user, programme.pk):
        return {EventVisibility.TEAM, EventVisibility.STAFF}
    if reads_programme(user, programme.pk):
        return {EventVisibility.TEAM}
    return set()


def can_read_programme_activity(user: User, programme: Programme) -> bool:
    return bool(programme_feed_visibility(user, programme))
