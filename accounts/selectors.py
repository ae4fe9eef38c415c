from django.db.models import QuerySet

from .models import Programme, ProgrammeMembership, User
from .permissions import reads_programme, user_is_global_admin, user_programme_roles, user_roles
from .roles import STAFF_ROLES, Role


def user_primary_role(*, user: User) -> Role | None:
    roles = user_roles(user)
    return roles[0] if roles else None


def programmes_visible_to(*, user: User) -> QuerySet[Programme]:
    if user_is_global_admin(user):
        return Programme.objects.all()
    # Literal ids from the cached memberships: no join and no DISTINCT to plan.
    return Programme.objects.filter(id__in=sorted(user_programme_roles(user)))


def programme_memberships_for(*, user: User) -> QuerySet[ProgrammeMembership]:
    return ProgrammeMembership.objects.filter(user=user).select_related("programme")


class MemberScope:
    """How much of a programme's membership a viewer may see."""

    ALL = "all"  # global administrators: everyone, inactive accounts marked as such
    ACTIVE = "active"  # the programme's SEiRs, administrators and managers
    CONTACTS = "contacts"  # entrepreneurs and commissioners: the active SEiRs only


def programme_member_scope(*, user: User, programme: Programme) -> str:
    if user_is_global_admin(user):
        return MemberScope.ALL
    if reads_programme(user, programme.pk):
        return MemberScope.ACTIVE
    return MemberScope.CONTACTS


def programme_members_visible_to(
    *, user: User, programme: Programme
) -> tuple[str, QuerySet[ProgrammeMembership]]:
    """(scope, memberships) of ``programme`` that ``user`` may see on its page.

    Entrepreneurs and commissioners see only whom to contact (the active SEiRs); staff
    and managers see the active members; inactive accounts are shown to global
    administrators only.
    """
    scope = programme_member_scope(user=user, programme=programme)
    members = programme.memberships.select_related("user").order_by(
        "role", "user__first_name", "user__last_name", "user__username"
    )
    if scope != MemberScope.ALL:
        members = members.filter(user__is_active=True)
    if scope == MemberScope.CONTACTS:
        members = members.filter(role=Role.SEIR)
    return scope, members


def users_running(*, programmes) -> QuerySet[User]:
    """Active users who run any of ``programmes``: their SEiRs and administrators (the
    roles ``accounts.permissions.runs_programme`` counts)."""
    return User.objects.filter(
        programme_memberships__programme__in=programmes,
        programme_memberships__role__in=STAFF_ROLES,
        is_active=True,
    ).distinct()


def users_with_role(*, programmes, role: Role) -> QuerySet[User]:
    return User.objects.filter(
        programme_memberships__programme__in=programmes,
        programme_memberships__role=role,
        is_active=True,
    ).distinct()
