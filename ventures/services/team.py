"""A venture's team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import TeamMembership, Venture
from ..permissions import venture_access
from .errors import VentureError, require


@transaction.atomic
def team_member_add(*, actor: User, venture: Venture, user: User, role: str) -> TeamMembership:
    require(venture_access(actor, venture).manage, "Only the programme's SEiR can change the team.")
    if not user.programme_memberships.filter(programme=venture.programme).exists():
        raise ValidationError({"user": f"{user} is not a member of {venture.programme}."})
    if TeamMembership.objects.filter(venture=venture, user=user).exists():
        raise ValidationError({"user": f"{user} is already on the team."})
    membership = TeamMembership(venture=venture, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def team_member_remove(*, actor: User, membership: TeamMembership) -> None:
    require(venture_access(actor, membership.venture).manage)
    if membership.venture.lead_id == membership.user_id:
        raise VentureError("Choose another lead entrepreneur before removing this one.")
    membership.delete()
