"""Who may invite people, remove roles and change a programme's settings.

One function per rule; views, templates (through ``people_perms``) and services ask them.
"""

from __future__ import annotations

from accounts.models import Programme, ProgrammeMembership, User
from accounts.permissions import runs_programme, user_is_global_admin, user_programme_roles
from accounts.roles import STAFF_ROLES, Role

from .models import InvitedRole

# Roles the programme's staff hand out by invitation and may take away again; the roles
# that run a programme are given and taken by its administrators only.
STAFF_MANAGED_ROLES = frozenset({Role.ENTREPRENEUR, Role.MANAGER, Role.COMMISSIONER})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_invite(user: User, programme: Programme) -> bool:
    """A programme's SEiRs and administrators (and global administrators)."""
    return runs_programme(user, programme.pk)


def can_manage_members(user: User, programme: Programme) -> bool:
    """Who sees the members with their roles to remove and the pending invitations."""
    return can_invite(user, programme)


def is_programme_administrator(user: User, programme: Programme) -> bool:
    if not _active(user):
        return False
    if user_is_global_admin(user):
        return True
    return Role.ADMINISTRATOR in user_programme_roles(user).get(programme.pk, frozenset())


def can_edit_programme(user: User, programme: Programme) -> bool:
    """The target, target stage and period: the programme's administrators only."""
    return is_programme_administrator(user, programme)


def can_revoke_invitation(user: User, invitation) -> bool:
    return can_invite(user, invitation.programme)


def can_remove_membership(user: User, membership: ProgrammeMembership) -> bool:
    """Staff take away the roles they invite into; only the programme's administrators
    take away a SEiR's or an administrator's role. Nobody removes their own role here
    (a programme must not lose its last SEiR by a slip of the thumb)."""
    if not can_invite(user, membership.programme) or membership.user_id == user.pk:
        return False
    if membership.role in STAFF_ROLES:
        return is_programme_administrator(user, membership.programme)
    return membership.role in STAFF_MANAGED_ROLES


def invitable_roles() -> list[tuple[str, str]]:
    return list(InvitedRole.choices)
