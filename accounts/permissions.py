"""Who holds which role where, and the two role rules every app asks: their one home.

Roles come from one source (``accounts.roles``): a programme role is a
``ProgrammeMembership`` and counts in that programme only; the global administrator
role is ``User.is_global_admin`` (or superuser) and reaches every programme.

The rules, each stated once here and called by every app:

- ``runs_programme(user, programme_id)``: "SEiR or administrator". The programme's
  SEiRs and administrators (``STAFF_ROLES``) and global administrators run its
  pipeline: they see and change every venture in it, its scouting, its members.
- ``reads_programme(user, programme_id)``: "a PCT manager may read". Those who run the
  programme, and its PCT managers (``READ_ROLES``), read it: its ventures, figures and
  activity feed. What each app shows a reader is that app's own rule, built on this one.

Without ``programme_id`` each asks "any programme" (a global administrator: always).
``programme_ids_run_by`` / ``programme_ids_read_by`` list the programmes as literal ids
for filters, and ``programmes_run_by`` / ``programmes_read_by`` as querysets.

Per request: what one user object knows of its own roles is read once, lazily, and
kept on that object in one ``Access`` (``access_of``). Nothing is kept beyond it: each
request loads its user afresh, so taking a role away takes it away everywhere at the
next request. Where roles change within one request (a service that adds or removes a
role, a test), ``access_forget(user)`` drops what that object knew.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import QuerySet

from seir.prepared import prepared

from .models import Programme, ProgrammeMembership, User
from .roles import READ_ROLES, ROLE_PRECEDENCE, STAFF_ROLES, Role

T = TypeVar("T")

# The one attribute a user object carries for its access (see Access).
ACCESS_ATTRIBUTE = "_seir_access"


@dataclass
class Access:
    """What one user object knows of its own access, for one request. Each part is
    read the first time a rule needs it (None until then)."""

    # {programme_id: {role, ...}} from the user's memberships (one query).
    programme_roles: dict[int, frozenset[str]] | None = None
    # Their roles, most senior first (the global administrator role included).
    roles: list[Role] | None = None
    # Every programme's id: a global administrator's reach, as literal ids (one query).
    every_programme_id: list[int] | None = None
    # The Django permissions accounts.backends.GlobalAdminBackend grants (one query).
    admin_permissions: set[str] | None = None
    # What apps above accounts derive from these for the request (``access_kept``):
    # ventures' visibility filter, the commissioners a person acts for, ...
    kept: dict[str, Any] = field(default_factory=dict)


def access_of(user: User) -> Access:
    """``user``'s Access, made empty on first use. (``getattr``/``setattr``, not the
    instance's ``__dict__``, so ``request.user``, a lazy object, keeps it on the user.)"""
    access = getattr(user, ACCESS_ATTRIBUTE, None)
    if access is None:
        access = Access()
        setattr(user, ACCESS_ATTRIBUTE, access)
    return access


def access_forget(user: User) -> None:
    """Forget what this user object knew of its access, so the next rule reads it again:
    for services that change a person's roles or links within one request."""
    if getattr(user, ACCESS_ATTRIBUTE, None) is not None:
        delattr(user, ACCESS_ATTRIBUTE)


def access_kept(user: User, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per request for ``user``, kept in its Access under ``key``
    (name it after the app: ``"ventures.visible_q"``), forgotten with the rest."""
    kept = access_of(user).kept
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- who holds which role ---------------------------------------------------------------


def user_is_global_admin(user: User) -> bool:
    """Global administrators see and run every programme and use the Django admin.

    Only the explicit global role (``User.is_global_admin``) or superuser status counts:
    an "administrator" membership runs its own programme and nothing else.
    """
    return _active(user) and (user.is_superuser or user.is_global_admin)


def user_programme_roles(user: User) -> dict[int, frozenset[str]]:
    """``{programme_id: {role, ...}}`` from the user's memberships: one query, kept for
    the request (navigation, visibility and every rule share it). Inactive: none."""
    if not _active(user):
        return {}
    access = access_of(user)
    if access.programme_roles is None:
        held: dict[int, set[str]] = {}
        for programme_id, role in _memberships(user.pk):
            held.setdefault(programme_id, set()).add(role)
        access.programme_roles = {pid: frozenset(roles) for pid, roles in held.items()}
    return access.programme_roles


@prepared
def _memberships(user_id):
    """(programme id, role) of each of the user's memberships (seir/prepared.py)."""
    return (
        ProgrammeMembership.objects.filter(user_id=user_id)
        .order_by()
        .values_list("programme_id", "role")
    )


def user_roles(user: User) -> list[Role]:
    """The user's roles, most senior first: the global administrator role plus the roles
    of their programme memberships (auth groups grant none). An inactive user has none."""
    if not _active(user):
        return []
    access = access_of(user)
    if access.roles is None:
        roles = {Role(r) for held in user_programme_roles(user).values() for r in held}
        if user_is_global_admin(user):
            roles.add(Role.ADMINISTRATOR)
        access.roles = [r for r in ROLE_PRECEDENCE if r in roles]
    return access.roles


def user_programme_ids(user: User, roles) -> list[int]:
    """Ids of the programmes where ``user`` holds one of ``roles`` (memberships only: a
    global administrator's reach is the rules' business, below)."""
    wanted = set(roles)
    return sorted(pid for pid, held in user_programme_roles(user).items() if held & wanted)


def _every_programme_id(user: User) -> list[int]:
    access = access_of(user)
    if access.every_programme_id is None:
        access.every_programme_id = list(
            Programme.objects.order_by("id").values_list("id", flat=True)
        )
    return access.every_programme_id


# --- the rules ---------------------------------------------------------------------------


def _holds(user: User, roles: frozenset, programme_id: int | None) -> bool:
    if not _active(user):
        return False
    if user_is_global_admin(user):
        return True
    if programme_id is None:
        return any(held & roles for held in user_programme_roles(user).values())
    return bool(user_programme_roles(user).get(programme_id, frozenset()) & roles)


def runs_programme(user: User, programme_id: int | None = None) -> bool:
    """ "SEiR or administrator": whether ``user`` runs ``programme_id`` (or, without one,
    any programme), answered from the request's memberships without a query."""
    return _holds(user, STAFF_ROLES, programme_id)


def reads_programme(user: User, programme_id: int | None = None) -> bool:
    """ "A PCT manager may read": whether ``user`` runs ``programme_id`` or is one of its
    PCT managers (without one: any programme), from the request's memberships."""
    return _holds(user, READ_ROLES, programme_id)


def _programme_ids(user: User, roles: frozenset) -> list[int]:
    if not _active(user):
        return []
    if user_is_global_admin(user):
        return _every_programme_id(user)
    return user_programme_ids(user, roles)


def programme_ids_run_by(user: User) -> list[int]:
    """Ids of the programmes ``runs_programme`` allows (every one for a global
    administrator), as literals for filters: PostgreSQL answers ``programme_id IN (1,
    2)`` from an index with a LIMIT where a subquery made it sort every row."""
    return _programme_ids(user, STAFF_ROLES)


def programme_ids_read_by(user: User) -> list[int]:
    """Ids of the programmes ``reads_programme`` allows (every one for a global
    administrator), as literals for filters."""
    return _programme_ids(user, READ_ROLES)


def programmes_run_by(user: User) -> QuerySet[Programme]:
    """The programmes ``runs_programme`` allows, as a queryset."""
    if user_is_global_admin(user):
        return Programme.objects.all()
    return Programme.objects.filter(id__in=user_programme_ids(user, STAFF_ROLES))


def programmes_read_by(user: User) -> QuerySet[Programme]:
    """The programmes ``reads_programme`` allows, as a queryset."""
    if user_is_global_admin(user):
        return Programme.objects.all()
    return Programme.objects.filter(id__in=user_programme_ids(user, READ_ROLES))
