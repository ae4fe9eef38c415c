"""Who may read a programme's progress figures: its PCT managers, SEiRs and
administrators (every programme for a global administrator). Everyone else gets 404.

Scouting figures are aggregates only: no dashboard figure opens a list of meetings or
people, so a manager never reaches a contact's details from here."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Programme, User
from accounts.roles import STAFF_ROLES, Role
from accounts.selectors import user_is_global_admin, user_programme_ids

PROGRESS_ROLES = STAFF_ROLES | {Role.MANAGER}


def progress_programmes(user: User) -> QuerySet[Programme]:
    """Programmes whose figures ``user`` may read."""
    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    if user_is_global_admin(user):
        return Programme.objects.all()
    return Programme.objects.filter(id__in=user_programme_ids(user, PROGRESS_ROLES))


def can_view_progress(user: User, programme: Programme | None = None) -> bool:
    """Whether ``user`` may open the dashboard (for ``programme``, when given)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_global_admin(user):
        return True
    ids = user_programme_ids(user, PROGRESS_ROLES)
    return bool(ids) if programme is None else programme.pk in ids
