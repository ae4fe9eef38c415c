"""What invitations adds to a programme's page (registered with accounts.hooks)."""

from __future__ import annotations

from accounts.selectors import programme_members_visible_to
from ventures.models import Stage

from . import permissions
from .selectors import invitation_list_pending


def programme_page_context(*, request, programme) -> dict:
    stage = Stage.objects.filter(programme=programme, code=programme.target_stage_code).first()
    context = {"target_stage_name": stage.name if stage else programme.target_stage_code}
    user = request.user
    if not permissions.can_manage_members(user, programme):
        return context
    _, members = programme_members_visible_to(user=user, programme=programme)
    rows = []
    for membership in members:
        membership.programme = programme
        rows.append((membership, permissions.can_remove_membership(user, membership)))
    context["people"] = {
        "can_manage": True,
        "can_invite": permissions.can_invite(user, programme),
        "can_edit": permissions.can_edit_programme(user, programme),
        "members": rows,
        "invitations": list(invitation_list_pending(programme=programme)),
    }
    return context
