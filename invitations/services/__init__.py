"""Writes: invitations (create, revoke, accept) in ``invitations``, a member's removal and
a programme's target and period in ``programmes``. Each is one atomic service; the
invitation email goes out after commit, so a rolled-back invitation sends nothing.
Re-exported here, so ``invitations.services.<name>`` keeps working."""

from .invitations import (
    INVITATION_VALID_FOR,
    STATE_REFUSALS,
    InvitationUnusable,
    _already_holds,
    _data,
    _grant,
    _send_invitation,
    accounts_with_email,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    log,
    normalise_email,
    username_for_new_account,
)
from .programmes import (
    PROGRAMME_FIELDS,
    _shown,
    member_remove,
    member_remove_check,
    programme_settings_update,
)

__all__ = [
    "INVITATION_VALID_FOR",
    "PROGRAMME_FIELDS",
    "STATE_REFUSALS",
    "InvitationUnusable",
    "_already_holds",
    "_data",
    "_grant",
    "_send_invitation",
    "_shown",
    "accounts_with_email",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_revoke",
    "log",
    "member_remove",
    "member_remove_check",
    "normalise_email",
    "programme_settings_update",
    "username_for_new_account",
]
