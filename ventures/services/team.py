"""A venture's team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from events.services import event_record
from seir.refusals import require

from .. import events
from ..models import TeamMembership, Venture
from ..permissions import can_manage_team
from .errors import VentureError


def _data(membership: TeamMembership) -> dict:
    return {
        "user": membership.user.display_name,
        "user_id": membership.user_id,
        "role": membership.role,
        "role_label": membership.get_role_display(),
    }


@transaction.atomic
def team_member_add(*, actor: User, venture: Venture, user: User, role: str) -> TeamMembership:
    require(can_manage_team(actor, venture), "Only the programme's SEiR can change the team.")
    if not user.programme_memberships.filter(programme=venture.programme).exists():
        raise ValidationError({"user": f"{user} is not a member of {venture.programme}."})
    if TeamMembership.objects.filter(venture=venture, user=user).exists():
        raise ValidationError({"user": f"{user} is already on the team."})
    membership = TeamMembership(venture=venture, user=user, role=role)
    membership.full_clean()
    try:
        # A savepoint: two people adding the same person at once both pass the check
        # above; the unique key stops the second, who gets the same answer.
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError({"user": f"{user} is already on the team."}) from None
    event_record(
        actor=actor,
        kind=events.TEAM_MEMBER_ADDED,
        subject=membership,
        venture=venture,
        data=_data(membership),
    )
    return membership


def team_member_remove_check(*, actor: User, membership: TeamMembership) -> None:
    """Refuse as ``team_member_remove`` would, changing nothing: for a form that asks
    before it saves anything."""
    venture = membership.venture
    require(can_manage_team(actor, venture), "Only the programme's SEiR can change the team.")
    if venture.lead_id == membership.user_id:
        raise VentureError("Choose another lead entrepreneur before removing this one.")


@transaction.atomic
def team_member_remove(*, actor: User, membership: TeamMembership) -> None:
    team_member_remove_check(actor=actor, membership=membership)
    venture = membership.venture
    data = _data(membership)
    # The event is about the person: the membership row itself is about to go.
    event_record(
        actor=actor,
        kind=events.TEAM_MEMBER_REMOVED,
        subject=membership.user,
        venture=venture,
        data=data,
    )
    membership.delete()
