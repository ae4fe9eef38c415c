"""Who may read a programme's activity feed, and which events in it."""

from __future__ import annotations

from accounts.models import Programme, ProgrammeMembership, User
from accounts.roles import STAFF_ROLES, Role
from accounts.selectors import user_is_global_admin

from .models import EventVisibility


def programme_feed_visibility(user: User, programme: Programme) -> set[str]:
    """The event visibilities ``user`` may read in ``programme``'s feed (empty: none).

    The programme's SEiRs and administrators read everything, staff-only events
    included; its PCT managers read the rest; nobody else reads the feed.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if user_is_global_admin(user):
        return {EventVisibility.TEAM, EventVisibility.STAFF}
    roles = set(
        ProgrammeMembership.objects.filter(user=user, programme=programme).values_list(
            "role", flat=True
        )
    )
    if roles & STAFF_ROLES:
        return {EventVisibility.TEAM, EventVisibility.STAFF}
    if Role.MANAGER in roles:
        return {EventVisibility.TEAM}
    return set()


def can_read_programme_activity(user: User, programme: Programme) -> bool:
    return bool(programme_feed_visibility(user, programme))
