"""Writes: invitations (create, revoke, accept). Each is one atomic service; the
invitation email goes out after commit, so a rolled-back invitation sends nothing."""

from __future__ import annotations

import datetime
import logging
import re
import secrets
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from accounts.roles import Role
from accounts.services import membership_add, user_create
from commissioning.models import Commissioner, Contact
from commissioning.services import (
    contact_account_link,
    contact_add,
)
from events.services import event_record
from scouting.models import Person
from seir.locks import hold
from seir.refusals import Refused, require
from ventures.models import TeamMembership, Venture
from ventures.services import team_member_add

from .. import events, permissions
from ..models import Invitation, InvitationState, InvitedRole, token_hash

log = logging.getLogger(__name__)

# How long an invitation link works.
INVITATION_VALID_FOR = datetime.timedelta(days=14)

STATE_REFUSALS = {
    InvitationState.ACCEPTED: "This invitation has already been used.",
    InvitationState.REVOKED: "This invitation was withdrawn by the programme's staff.",
    InvitationState.EXPIRED: "This invitation has expired.",
}


class InvitationUnusable(Refused):
    """The link cannot be used (unknown, used, revoked, expired or no longer valid)."""


def _data(invitation: Invitation, **extra) -> dict:
    return {
        "email": invitation.email,
        "name": invitation.name,
        "role": invitation.role,
        "role_label": invitation.get_role_display(),
        "target": invitation.target_label,
        **extra,
    }


def accounts_with_email(email: str):
    return User.objects.filter(email__iexact=email)


def _already_holds(user: User, invitation: Invitation) -> bool:
    """Whether ``user`` already has everything the invitation would give."""
    has_role = ProgrammeMembership.objects.filter(
        programme=invitation.programme, user=user, role=invitation.role
    ).exists()
    if invitation.role == InvitedRole.ENTREPRENEUR:
        return (
            has_role
            and TeamMembership.objects.filter(venture=invitation.venture, user=user).exists()
        )
    if invitation.role == InvitedRole.COMMISSIONER:
        return (
            has_role
            and Contact.objects.filter(commissioner=invitation.commissioner, user=user).exists()
        )
    return has_role


def closed_account_refusal(email: str) -> str:
    return (
        f"The account of {email} is closed, so it cannot sign in to accept an invitation. "
        "A global administrator can open it again in the admin."
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    programme: Programme,
    email: str,
    name: str,
    role: str,
    link_for: Callable[[str], str],
    venture: Venture | None = None,
    team_role: str = "",
    commissioner: Commissioner | None = None,
    person: Person | None = None,
) -> Invitation:
    """Invite ``email`` into ``role`` in ``programme``; ``link_for(token)`` builds the
    absolute link the email carries. Only the token's hash is stored."""
    require(
        permissions.can_invite(actor, programme),
        "Only the programme's SEiRs and administrators can invite people.",
    )
    # Two staff members inviting the same person at once: the second waits here for the
    # first to commit, then finds its invitation waiting below (PostgreSQL; SQLite runs
    # one writing transaction at a time).
    Programme.objects.select_for_update().filter(pk=programme.pk).values_list("pk").first()
    role = InvitedRole(role)
    if role != InvitedRole.ENTREPRENEUR:
        venture, team_role = None, ""
    if role != InvitedRole.COMMISSIONER:
        commissioner = None
    if commissioner is not None and not commissioner.is_active:
        raise ValidationError({"commissioner": "That organisation is no longer active."})
    if person is not None and person.programme_id != programme.pk:
        person = None
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        programme=programme,
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        venture=venture,
        team_role=team_role,
        commissioner=commissioner,
        person=person,
        token_hash=token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    accounts = accounts_with_email(invitation.email)
    if accounts.exists() and not accounts.filter(is_active=True).exists():
        # Its link would ask them to sign in, which a closed account cannot do.
        raise ValidationError({"email": closed_account_refusal(invitation.email)})
    for account in accounts.filter(is_active=True):
        if _already_holds(account, invitation):
            raise ValidationError(
                {"email": f"{account.display_name} ({invitation.email}) already has this role."}
            )
    pending = Invitation.objects.filter(
        programme=programme,
        email=invitation.email,
        role=role,
        venture=venture,
        commissioner=commissioner,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    if pending.exists():
        raise ValidationError(
            {
                "email": f"{invitation.email} already has a waiting invitation to this role. "
                "Revoke it on the programme page to send a new one."
            }
        )
    invitation.save()
    event_record(
        actor=actor,
        kind=events.INVITATION_CREATED,
        subject=invitation,
        programme=programme,
        venture=venture,
        data=_data(invitation),
    )
    link = link_for(token)
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation


def _send_invitation(saved: Invitation, link: str) -> None:
    """Email the link, after the invitation is committed (the link exists nowhere else:
    only its hash is stored). A mail server that cannot be reached leaves the invitation
    saved, logs the failure and sets ``email_failed`` on the caller's copy, so the page
    says the email did not go (revoke it and invite again) instead of failing."""
    invitation = (
        Invitation.objects.select_related("programme", "venture", "commissioner", "invited_by")
        .filter(pk=saved.pk)
        .first()
    )
    if invitation is None:
        return
    context = {"invitation": invitation, "link": link}
    try:
        send_mail(
            subject=f"You are invited to {invitation.programme.name}",
            message=render_to_string("invitations/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except OSError:  # smtplib's errors and refused or broken connections
        log.exception("Invitation %s: the email could not be sent", saved.pk)
        saved.email_failed = True
        return
    log.info("Invitation %s sent", saved.pk)


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    require(
        permissions.can_revoke_invitation(actor, invitation),
        "Only the programme's SEiRs and administrators can revoke invitations.",
    )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation.state
    if state != InvitationState.PENDING:
        raise ValidationError(
            f"This invitation cannot be revoked: it is {InvitationState(state).label.lower()}."
        )
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    event_record(
        actor=actor,
        kind=events.INVITATION_REVOKED,
        subject=invitation,
        programme=invitation.programme,
        venture=invitation.venture,
        data=_data(invitation),
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link names, or ``InvitationUnusable`` saying why it cannot be used."""
    invitation = None
    if token and len(token) <= 100:
        invitation = (
            Invitation.objects.select_related("programme", "venture", "commissioner", "invited_by")
            .filter(token_hash=token_hash(token))
            .first()
        )
    if invitation is None:
        raise InvitationUnusable(
            "This invitation link is not valid. Check that you copied the whole link."
        )
    state = invitation.state
    if state != InvitationState.PENDING:
        raise InvitationUnusable(STATE_REFUSALS[state])
    return invitation


def username_for_new_account(email: str) -> str:
    """The username a new account for ``email`` gets: the address itself, unless it has
    a sign a username cannot hold (Django's username validator takes letters, digits and
    @ . + - _ only: o'brien@... becomes o_brien@...), is longer than 150 characters or
    is taken (a -2, -3 ... is added)."""
    base = re.sub(r"[^\w.@+-]", "_", email)[:150]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: 150 - len(suffix)] + suffix
    return candidate


def _grant(invitation: Invitation, user: User) -> None:
    """Give ``user`` what the invitation names, through the owning apps' services, on
    behalf of the person who invited them (whose rights are checked again now)."""
    inviter = invitation.invited_by
    if inviter is None or not permissions.can_invite(inviter, invitation.programme):
        raise InvitationUnusable(
            "The person who invited you can no longer add people to this programme. "
            "Ask the programme's SEiR for a new invitation."
        )
    membership_add(
        programme=invitation.programme, user=user, role=Role(invitation.role), actor=inviter
    )
    try:
        if invitation.role == InvitedRole.ENTREPRENEUR:
            if not TeamMembership.objects.filter(venture=invitation.venture, user=user).exists():
                team_member_add(
                    actor=inviter, venture=invitation.venture, user=user, role=invitation.team_role
                )
        elif invitation.role == InvitedRole.COMMISSIONER:
            if not Contact.objects.filter(commissioner=invitation.commissioner, user=user).exists():
                # Their own record, left without the account when a role was removed,
                # is linked again rather than doubled.
                former = user.email and (
                    Contact.objects.filter(
                        commissioner=invitation.commissioner,
                        email__iexact=user.email,
                        user__isnull=True,
                        is_active=True,
                    )
                    .order_by("pk")
                    .first()
                )
                if former:
                    contact_account_link(actor=inviter, contact=former, user=user)
                else:
                    contact_add(
                        actor=inviter,
                        commissioner=invitation.commissioner,
                        name=user.display_name,
                        email=user.email,
                        user=user,
                    )
    except (Refused, PermissionDenied, ValidationError) as error:
        log.info("Invitation %s refused on acceptance: %s", invitation.pk, error)
        raise InvitationUnusable(
            "This invitation can no longer be used. Ask the programme's SEiR for a new one."
        ) from None


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> tuple[Invitation, User]:
    """Use an invitation link once: ``user`` (signed in, with the invited email) joins
    the role; without one, a new account is opened with ``password`` (already checked
    by the password validators). Refuses with ``InvitationUnusable`` and writes nothing
    when the link cannot be used."""
    found = invitation_for_token(token)
    # Lock the row: two clicks on the link (or two tabs) accept once.
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    state = invitation.state
    if state != InvitationState.PENDING:
        raise InvitationUnusable(STATE_REFUSALS[state])
    invitation.programme, invitation.venture = found.programme, found.venture
    invitation.commissioner, invitation.invited_by = found.commissioner, found.invited_by
    new_account = user is None
    if user is not None:
        if normalise_email(user.email) != invitation.email:
            raise InvitationUnusable(
                "This invitation was sent to another email address than your account's. "
                "Sign out and open the link again, or ask for an invitation to your address."
            )
    else:
        # Two invitations to one new address accepted at once: the second waits here for
        # the first to commit, then finds its account (instead of choosing the same
        # username and breaking its unique key).
        hold("invitations.new-account", [zlib.crc32(invitation.email.lower().encode())])
        if accounts_with_email(invitation.email).exists():
            raise InvitationUnusable(
                "An account with this email address already exists: sign in to accept."
            )
        user = user_create(
            username=username_for_new_account(invitation.email),
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            password=password,
        )
    _grant(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    event_record(
        actor=user,
        kind=events.INVITATION_ACCEPTED,
        subject=invitation,
        programme=invitation.programme,
        venture=invitation.venture,
        data=_data(invitation, name=user.display_name, new_account=new_account),
    )
    return invitation, user
