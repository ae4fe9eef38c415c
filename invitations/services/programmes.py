"""Writes about a programme's people and settings: a member's removal (through the
owning services, so the access the role gave ends) and a programme's target and period."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Programme, ProgrammeMembership, User
from accounts.roles import Role
from accounts.services import membership_remove
from commissioning.services import commissioner_account_unlink, commissioner_account_unlink_check
from events.services import event_record
from seir.refusals import require
from ventures.models import Stage, TeamMembership
from ventures.services import VentureError, team_member_remove, team_member_remove_check

from .. import events, permissions
from ..selectors import invitation_list_pending
from .invitations import invitation_revoke


def _teams(membership: ProgrammeMembership):
    return TeamMembership.objects.filter(
        user=membership.user, venture__programme=membership.programme
    ).select_related("venture", "user")


def _team_refused(team: TeamMembership, error: VentureError) -> ValidationError:
    return ValidationError(f"{team.venture.name}: {error.message}")


def member_remove_check(*, actor: User, membership: ProgrammeMembership) -> None:
    """Refuse as ``member_remove`` would, changing nothing, so a form can ask before it
    saves anything (the admin's programme page shows the refusal on the role's row and
    keeps the person's other edits). ``member_remove`` asks it first too."""
    require(
        permissions.can_remove_membership(actor, membership),
        "You cannot remove this role.",
    )
    if membership.role == Role.ENTREPRENEUR:
        for team in _teams(membership):
            try:
                team_member_remove_check(actor=actor, membership=team)
            except VentureError as error:
                raise _team_refused(team, error) from None
    elif membership.role == Role.COMMISSIONER:
        commissioner_account_unlink_check(actor=actor, programme=membership.programme)


@transaction.atomic
def member_remove(*, actor: User, membership: ProgrammeMembership) -> None:
    """Take a role away through the owning services, so the access it gave ends with the
    person's next request: an entrepreneur also leaves the teams of the programme's
    ventures; a commissioner's account leaves the commissioner organisations whose
    introductions they could see (the rule: commissioning's
    ``commissioner_account_unlink_scope``); their invitations still waiting to give the
    role again are revoked. All of it or nothing."""
    member_remove_check(actor=actor, membership=membership)
    if membership.role == Role.ENTREPRENEUR:
        for team in _teams(membership):
            try:
                team_member_remove(actor=actor, membership=team)
            except VentureError as error:
                raise _team_refused(team, error) from None
    elif membership.role == Role.COMMISSIONER:
        commissioner_account_unlink(
            actor=actor, user=membership.user, programme=membership.programme
        )
    membership_remove(membership=membership, actor=actor)
    # Invitations still waiting to give them this role again (another venture's team,
    # another organisation) are revoked with it: the removal is not undone by an old link.
    email = membership.user.email.strip()
    waiting = (
        invitation_list_pending(programme=membership.programme).filter(
            role=membership.role, email__iexact=email
        )
        if email
        else ()
    )
    for invitation in waiting:
        invitation_revoke(actor=actor, invitation=invitation)


PROGRAMME_FIELDS = {
    "target_ventures": "Target number of social enterprises",
    "target_stage_code": "Stage that counts towards the target",
    "start_date": "Start",
    "end_date": "End",
    "stuck_after_days": "Stuck after (days in one stage)",
    "quiet_after_days": "Quiet after (days without activity)",
    "require_two_factor": "Require two-factor sign-in for everyone",
}


def _shown(programme: Programme, field: str, value) -> str:
    if field == "target_stage_code":
        stage = Stage.objects.filter(programme=programme, code=value).first()
        return stage.name if stage else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    return str(value)


@transaction.atomic
def programme_settings_update(*, actor: User, programme: Programme, changes: dict) -> list[str]:
    """Change a programme's target, target stage and period (only the fields in
    ``changes``); returns the names of the fields that changed. Nothing changed records
    nothing."""
    require(
        permissions.can_edit_programme(actor, programme),
        "Only the programme's administrators can change its target and period.",
    )
    # NO KEY UPDATE: a stage move in flight may still record its event (a row pointing
    # at the programme) while a new target stage waits for the move's venture row
    # (``ventures.targets``); FOR UPDATE would have each wait for the other.
    programme = Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
    changes = {k: v for k, v in changes.items() if k in PROGRAMME_FIELDS}
    if (
        "target_stage_code" in changes
        and not Stage.objects.filter(
            programme=programme, code=changes["target_stage_code"]
        ).exists()
    ):
        raise ValidationError({"target_stage_code": "Choose one of the programme's stages."})
    before = {field: getattr(programme, field) for field in changes}
    changed = [field for field, value in changes.items() if before[field] != value]
    if not changed:
        return []
    for field in changed:
        setattr(programme, field, changes[field])
    programme.full_clean()
    programme.save(update_fields=changed)
    event_record(
        actor=actor,
        kind=events.PROGRAMME_SETTINGS_CHANGED,
        subject=programme,
        programme=programme,
        data={
            "changes": [
                {
                    "field": field,
                    "label": PROGRAMME_FIELDS[field],
                    "old": _shown(programme, field, before[field]),
                    "new": _shown(programme, field, changes[field]),
                }
                for field in changed
            ]
        },
    )
    return changed
