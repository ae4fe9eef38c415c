from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction

from . import hooks
from .models import Programme, ProgrammeMembership, User
from .roles import GROUP_NAMES, Role


@transaction.atomic
def programme_create(
    *,
    name: str,
    host_organisation: str,
    start_date: date,
    end_date: date | None = None,
    target_ventures: int | None = None,
    target_stage_code: str = "pilot",
) -> Programme:
    programme = Programme(
        name=name,
        host_organisation=host_organisation,
        start_date=start_date,
        end_date=end_date,
        target_stage_code=target_stage_code,
    )
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
    """Give ``user`` a role in ``programme`` and the matching global group."""
    role = Role(role)
    membership, created = ProgrammeMembership.objects.get_or_create(
        programme=programme, user=user, role=role
    )
    if created:
        hooks.membership_changed(membership=membership, actor=actor, added=True)
    group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
    user.groups.add(group)
    if role == Role.ADMINISTRATOR and not user.is_staff:
        # Administrators manage users, programmes and reference data in the Django admin.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership
