"""An invitation into one programme role, sent by email with a single-use link.

Only a hash of the link's token is stored: whoever reads the database (or a backup)
cannot use a pending invitation. The raw token exists only in the email.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Programme
from accounts.roles import Role
from ventures.models import TeamRole


class InvitedRole(models.TextChoices):
    """The roles a programme's staff may invite someone into."""

    ENTREPRENEUR = Role.ENTREPRENEUR.value, "Entrepreneur of a venture"
    MANAGER = Role.MANAGER.value, "PCT manager"
    COMMISSIONER = Role.COMMISSIONER.value, "Commissioner contact of an organisation"


class InvitationState(models.TextChoices):
    PENDING = "pending", "Waiting"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Invitation(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    name = models.CharField("full name", max_length=150)
    role = models.CharField(max_length=20, choices=InvitedRole.choices)
    venture = models.ForeignKey(
        "ventures.Venture", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team_role = models.CharField(max_length=20, choices=TeamRole.choices, blank=True)
    commissioner = models.ForeignKey(
        "commissioning.Commissioner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The scouting directory entry the invitation was made from, if any.
    person = models.ForeignKey(
        "scouting.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=InvitedRole.ENTREPRENEUR) | Q(venture__isnull=False),
                name="invitation_entrepreneur_names_venture",
            ),
            models.CheckConstraint(
                condition=~Q(role=InvitedRole.COMMISSIONER) | Q(commissioner__isnull=False),
                name="invitation_commissioner_names_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.email} as {self.get_role_display()} in {self.programme}"

    def clean(self):
        if self.role == InvitedRole.ENTREPRENEUR:
            if self.venture_id is None:
                raise ValidationError({"venture": "Choose the venture they will join."})
            if self.venture.programme_id != self.programme_id:
                raise ValidationError({"venture": "That venture belongs to another programme."})
            if not self.team_role:
                raise ValidationError({"team_role": "Choose their role in the team."})
        if self.role == InvitedRole.COMMISSIONER and self.commissioner_id is None:
            raise ValidationError({"commissioner": "Choose the organisation they act for."})

    def state_at(self, now) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        return InvitationState(self.state).label

    @property
    def target_label(self) -> str:
        """What they are invited into, in words."""
        if self.role == InvitedRole.ENTREPRENEUR and self.venture is not None:
            return f"{self.get_team_role_display()} of {self.venture.name}"
        if self.role == InvitedRole.COMMISSIONER and self.commissioner is not None:
            return f"Commissioner contact of {self.commissioner.name}"
        return self.get_role_display()
