"""Who may do what with a venture: the one place the rules live.

Views, templates (through the context) and services all ask these functions, so no
template or view restates a rule that a service enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from accounts.selectors import user_is_global_admin

from .models import TeamMembership, Venture

READ_ROLES = STAFF_ROLES | {Role.MANAGER}


@dataclass(frozen=True)
class VentureAccess:
    """What one user may do with one venture."""

    view: bool = False
    edit_profile: bool = False  # team members and staff
    manage: bool = False  # SEiR / administrator: stage, status, team, staff notes, reverts
    add_notes: bool = False

    @property
    def see_staff_notes(self) -> bool:
        return self.manage


NO_ACCESS = VentureAccess()


def _programme_roles(user: User) -> dict[int, set[str]]:
    """{programme_id: {role, ...}} for the user, cached on the user for the request."""
    cached = getattr(user, "_seir_programme_roles", None)
    if cached is None:
        cached = {}
        for programme_id, role in user.programme_memberships.values_list("programme_id", "role"):
            cached.setdefault(programme_id, set()).add(role)
        user._seir_programme_roles = cached
    return cached


# Read-only visibility that other apps grant (commissioning will let a commissioner see
# the ventures introduced to them). Each provider maps a user to a queryset of venture
# ids; ventures never imports the provider's app.
_read_only_visibility: list[Callable[[User], QuerySet]] = []


def register_read_only_visibility(provider: Callable[[User], QuerySet]) -> None:
    """Register ``provider(user) -> queryset of venture ids`` the user may read."""
    if provider not in _read_only_visibility:
        _read_only_visibility.append(provider)


def extra_visibility_q(user: User) -> Q:
    q = Q(pk__in=[])
    for provider in _read_only_visibility:
        q |= Q(id__in=provider(user))
    return q


def venture_access(user: User, venture: Venture) -> VentureAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user_is_global_admin(user):
        return VentureAccess(view=True, edit_profile=True, manage=True, add_notes=True)
    roles = _programme_roles(user).get(venture.programme_id, set())
    if roles & STAFF_ROLES:
        return VentureAccess(view=True, edit_profile=True, manage=True, add_notes=True)
    on_team = TeamMembership.objects.filter(venture=venture, user=user).exists()
    if on_team:
        return VentureAccess(view=True, edit_profile=True, add_notes=True)
    if Role.MANAGER in roles:
        return VentureAccess(view=True)
    if (
        _read_only_visibility
        and Venture.objects.filter(extra_visibility_q(user), pk=venture.pk).exists()
    ):
        return VentureAccess(view=True)
    return NO_ACCESS
