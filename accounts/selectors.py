from django.db.models import QuerySet

from .models import Programme, ProgrammeMembership, User
from .roles import ROLE_PRECEDENCE, STAFF_ROLES, Role


def user_roles(user: User) -> list[Role]:
    """The user's roles, most senior first: the global administrator role plus the roles
    of their programme memberships (auth groups grant none). An inactive user has none.

    Cached on the user object for the request.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_seir_roles", None)
    if cached is not None:
        return cached
    roles = {Role(r) for held in user_programme_roles(user).values() for r in held}
    if user.is_superuser or user.is_global_admin:
        roles.add(Role.ADMINISTRATOR)
    user._seir_roles = [r for r in ROLE_PRECEDENCE if r in roles]
    return user._seir_roles


def user_programme_roles(user: User) -> dict[int, frozenset[str]]:
    """``{programme_id: {role, ...}}`` from the user's memberships: one query, cached on
    the user object for the request (navigation, visibility and every rule share it)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_seir_programme_roles", None)
    if cached is None:
        held: dict[int, set[str]] = {}
        memberships = ProgrammeMembership.objects.filter(user=user).order_by()
        for programme_id, role in memberships.values_list("programme_id", "role"):
            held.setdefault(programme_id, set()).add(role)
        cached = {pid: frozenset(roles) for pid, roles in held.items()}
        user._seir_programme_roles = cached
    return cached


def user_programme_ids(user: User, roles) -> list[int]:
    """Ids of the programmes where ``user`` holds one of ``roles`` (memberships only; a
    global administrator's reach is checked separately), from the cached memberships."""
    wanted = set(roles)
    return sorted(pid for pid, held in user_programme_roles(user).items() if held & wanted)


def user_primary_role(user: User) -> Role | None:
    roles = user_roles(user)
    return roles[0] if roles else None


def user_is_global_admin(user: User) -> bool:
    """Global administrators see and run every programme and use the Django admin.

    Only the explicit global role (``User.is_global_admin``) or superuser status counts:
    an "administrator" membership runs its own programme and nothing else.
    """
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.is_global_admin)
    )


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    if user_is_global_admin(user):
        return Programme.objects.all()
    # Literal ids from the cached memberships: no join and no DISTINCT to plan.
    return Programme.objects.filter(id__in=sorted(user_programme_roles(user)))


def programmes_run_by(user: User) -> QuerySet[Programme]:
    """Programmes whose pipeline the user runs (SEiR or administrator)."""
    if user_is_global_admin(user):
        return Programme.objects.all()
    return Programme.objects.filter(id__in=user_programme_ids(user, STAFF_ROLES))


def user_runs_programme(user: User, programme_id: int | None = None) -> bool:
    """Whether the user runs ``programme_id`` (or, without one, any programme), answered
    from the cached memberships without a query."""
    if user_is_global_admin(user):
        return programme_id is not None or Programme.objects.exists()
    ids = user_programme_ids(user, STAFF_ROLES)
    return bool(ids) if programme_id is None else programme_id in ids


def programme_memberships_for(user: User) -> QuerySet[ProgrammeMembership]:
    return ProgrammeMembership.objects.filter(user=user).select_related("programme")


class MemberScope:
    """How much of a programme's membership a viewer may see."""

    ALL = "all"  # global administrators: everyone, inactive accounts marked as such
    ACTIVE = "active"  # the programme's SEiRs, administrators and managers
    CONTACTS = "contacts"  # entrepreneurs and commissioners: the active SEiRs only


def programme_member_scope(user: User, programme: Programme) -> str:
    if user_is_global_admin(user):
        return MemberScope.ALL
    roles = set(
        ProgrammeMembership.objects.filter(user=user, programme=programme).values_list(
            "role", flat=True
        )
    )
    if roles & (STAFF_ROLES | {Role.MANAGER}):
        return MemberScope.ACTIVE
    return MemberScope.CONTACTS


def programme_members_visible_to(
    user: User, programme: Programme
) -> tuple[str, QuerySet[ProgrammeMembership]]:
    """(scope, memberships) of ``programme`` that ``user`` may see on its page.

    Entrepreneurs and commissioners see only whom to contact (the active SEiRs); staff
    and managers see the active members; inactive accounts are shown to global
    administrators only.
    """
    scope = programme_member_scope(user, programme)
    members = programme.memberships.select_related("user").order_by(
        "role", "user__first_name", "user__last_name", "user__username"
    )
    if scope != MemberScope.ALL:
        members = members.filter(user__is_active=True)
    if scope == MemberScope.CONTACTS:
        members = members.filter(role=Role.SEIR)
    return scope, members


def users_with_role(programmes, role: Role) -> QuerySet[User]:
    return User.objects.filter(
        programme_memberships__programme__in=programmes,
        programme_memberships__role=role,
        is_active=True,
    ).distinct()
