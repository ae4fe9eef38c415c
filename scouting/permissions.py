"""Who may do what in scouting: the one place the rules live.

- SEiRs and administrators manage their programmes' directory, meetings and ideas.
- PCT managers see aggregate figures only (the attribution funnel), never contact details.
- Entrepreneurs and commissioners have no access: every scouting URL answers 404.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import Programme, User
from accounts.roles import STAFF_ROLES, Role
from accounts.selectors import user_is_global_admin, user_programme_ids

FUNNEL_ROLES = STAFF_ROLES | {Role.MANAGER}


def _programme_ids(user: User, roles) -> list[int]:
    """Programmes where ``user`` holds one of ``roles`` (every programme for a global
    administrator), as literal ids: from the memberships read once per request."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user_is_global_admin(user):
        cached = getattr(user, "_scouting_all_programme_ids", None)
        if cached is None:
            cached = list(Programme.objects.order_by("id").values_list("id", flat=True))
            user._scouting_all_programme_ids = cached
        return cached
    return user_programme_ids(user, roles)


def scouting_programme_ids(user: User) -> list[int]:
    """Programmes whose scouting data the user manages.

    Lists filter with ``programme_id IN (1, 2)``, which PostgreSQL answers from the
    (programme, date) index with a LIMIT; a subquery there makes it sort every row.
    """
    return _programme_ids(user, STAFF_ROLES)


def funnel_programme_ids(user: User) -> list[int]:
    """Programmes whose aggregate scouting figures the user may read."""
    return _programme_ids(user, FUNNEL_ROLES)


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
    if programme_id is None or not user.is_authenticated:
        return False
    if user_is_global_admin(user):
        return True
    return programme_id in scouting_programme_ids(user)


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
