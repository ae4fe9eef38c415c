import logging
from datetime import date

from django.db import transaction

from seir.refusals import require

from . import hooks
from .models import Programme, ProgrammeMembership, User
from .permissions import access_forget, user_is_global_admin
from .roles import Role

audit = logging.getLogger("seir.audit")


@transaction.atomic
def programme_create(
    *,
    name: str,
    host_organisation: str,
    start_date: date,
    end_date: date | None = None,
    target_ventures: int | None = None,
    target_stage_code: str = "pilot",
    stuck_after_days: int | None = None,
    quiet_after_days: int | None = None,
) -> Programme:
    programme = Programme(
        name=name,
        host_organisation=host_organisation,
        start_date=start_date,
        end_date=end_date,
        target_stage_code=target_stage_code,
    )
    if stuck_after_days is not None:
        programme.stuck_after_days = stuck_after_days
    if quiet_after_days is not None:
        programme.quiet_after_days = quiet_after_days
    if target_ventures is not None:
        programme.target_ventures = target_ventures
    programme.full_clean()
    programme.save()
    hooks.programme_created(programme=programme)
    return programme


@transaction.atomic
def membership_add(
    *, programme: Programme, user: User, role: Role | str, actor: User | None = None
) -> ProgrammeMembership:
    """Give ``user`` a role in ``programme``. It counts in that programme only: it grants
    no global role, no auth group and no Django admin access."""
    role = Role(role)
    membership, created = ProgrammeMembership.objects.get_or_create(
        programme=programme, user=user, role=role
    )
    if created:
        access_forget(user)  # this object's roles, if a rule read them already
        audit.info("%s gave %s the role %s in %s", actor, user, role, programme)
        hooks.membership_changed(membership=membership, actor=actor, added=True)
    return membership


@transaction.atomic
def membership_remove(*, membership: ProgrammeMembership, actor: User | None = None) -> None:
    """Take a programme role away. Roles are read from memberships on every request, so
    the access it gave ends with the next request."""
    audit.info(
        "%s removed the role %s of %s in %s",
        actor,
        membership.role,
        membership.user,
        membership.programme,
    )
    hooks.membership_changed(membership=membership, actor=actor, added=False)
    membership.delete()
    access_forget(membership.user)


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    actor: User | None = None,
) -> User:
    """Open an account (e.g. for a person accepting an invitation). The password has
    already passed the password validators in the form that asked for it. Callers above
    events record the event that says why the account was opened."""
    user = User(
        username=username,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.info("%s opened the account %s", actor, user.username)
    return user


# Who may change an account's access. ``actor=None`` is the system itself (a command, the
# demo data, tests' factories), which answers to no one.
ONLY_GLOBAL_ADMINS = "Only a global administrator can change who administers or signs in."
ONLY_SUPERUSERS = "Only a superuser can make or unmake superusers."


def _require_global_admin(actor: User | None) -> None:
    require(actor is None or user_is_global_admin(actor), ONLY_GLOBAL_ADMINS)


@transaction.atomic
def user_set_global_admin(*, user: User, is_global_admin: bool, actor: User | None = None) -> User:
    """Grant or revoke the global administrator role; Django admin access follows it
    (``User.save`` derives ``is_staff``). Records an event; setting what is already set
    changes and records nothing."""
    _require_global_admin(actor)
    change = "global_admin_granted" if is_global_admin else "global_admin_revoked"
    return _set_access(
        user, "is_global_admin", is_global_admin, actor=actor, change=change, clean=True
    )


def _set_access(
    user: User, field: str, value: bool, *, actor: User | None, change: str, clean: bool = False
) -> User:
    """Set one of the account's access flags: saved (``clean``: validated first), forgotten
    by this request's access cache, logged and recorded as ``change``; nothing at all when
    it is already so."""
    if getattr(user, field) == value:
        return user
    setattr(user, field, value)
    if clean:
        user.full_clean()
    user.save(update_fields=[field])
    access_forget(user)
    audit.info("%s: %s of %s (by %s)", change, field, user, actor)
    hooks.account_changed(user=user, actor=actor, change=change)
    return user


@transaction.atomic
def user_set_active(*, user: User, is_active: bool, actor: User | None = None) -> User:
    """Close an account (no sign-in, no roles, no admin: its open sessions stop
    authenticating on their next request, as ModelBackend refuses inactive users) or open
    it again. Records an event; setting what is already set changes and records nothing."""
    _require_global_admin(actor)
    change = "reactivated" if is_active else "deactivated"
    return _set_access(user, "is_active", is_active, actor=actor, change=change)


@transaction.atomic
def user_set_superuser(*, user: User, is_superuser: bool, actor: User | None = None) -> User:
    """Make ``user`` a superuser (every permission, the global administrator's access and
    the power to make superusers) or stop them being one. Only a superuser may. Records an
    event; setting what is already set changes and records nothing."""
    require(actor is None or (actor.is_active and actor.is_superuser), ONLY_SUPERUSERS)
    change = "superuser_granted" if is_superuser else "superuser_revoked"
    return _set_access(user, "is_superuser", is_superuser, actor=actor, change=change)


def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Close an account (``user_set_active`` with ``is_active=False``)."""
    return user_set_active(user=user, is_active=False, actor=actor)
