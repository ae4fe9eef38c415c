"""Who may do what in scouting: the one place the rules live.

- SEiRs and administrators manage their programmes' directory, meetings and ideas.
- PCT managers see aggregate figures only (the attribution funnel), never contact details.
- Entrepreneurs and commissioners have no access: every scouting URL answers 404.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from accounts.permissions import programme_ids_read_by, programme_ids_run_by, runs_programme


def scouting_programme_ids(user: User) -> list[int]:
    """Programmes whose scouting data the user manages: those they run (every programme
    for a global administrator), as literal ids read once per request.

    Lists filter with ``programme_id IN (1, 2)``, which PostgreSQL answers from the
    (programme, date) index with a LIMIT; a subquery there makes it sort every row.
    """
    return programme_ids_run_by(user)


def funnel_programme_ids(user: User) -> list[int]:
    """Programmes whose aggregate scouting figures the user may read: those they read
    (their PCT managers too)."""
    return programme_ids_read_by(user)


def can_use_scouting(user: User) -> bool:
    """Whether the user sees the scouting start page at all (staff and managers)."""
    return bool(funnel_programme_ids(user))


def can_manage_scouting(user: User) -> bool:
    """Whether the user manages some programme's scouting data (the directory included)."""
    return bool(scouting_programme_ids(user))


def can_log_meetings(user: User) -> bool:
    """Whether "Log a meeting" is offered (the navigation asks on every page)."""
    return can_manage_scouting(user)


def can_manage_programme(user: User, programme_id: int | None) -> bool:
    return programme_id is not None and runs_programme(user, programme_id)


def can_edit_meeting(user: User, meeting) -> bool:
    """Whether the user may correct or delete a logged meeting: whoever may log meetings
    in its programme (its SEiRs and administrators), as for ``meeting_log``."""
    return can_manage_programme(user, meeting.programme_id)


def require_edit_meeting(user: User, meeting) -> None:
    """Services call this: a refusal looks like a missing meeting, as in the views."""
    if not can_edit_meeting(user, meeting):
        raise Http404("No such record.")


def require_scouting(user: User) -> None:
    """404 unless the user may see the scouting start page."""
    if not can_use_scouting(user):
        raise Http404("No such page.")


def require_manage_scouting(user: User) -> None:
    """404 unless the user manages scouting data somewhere (managers included: 404)."""
    if not can_manage_scouting(user):
        raise Http404("No such page.")


def require_manage_programme(user: User, programme_id: int | None) -> None:
    """Services call this: a refusal looks like a missing object, as in the views."""
    if not can_manage_programme(user, programme_id):
        raise Http404("No such record.")
