from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Programme

from .models import Invitation


def invitation_list_pending(*, programme: Programme) -> QuerySet[Invitation]:
    """The programme's invitations still waiting to be accepted (not revoked, not expired)."""
    return Invitation.objects.filter(
        programme=programme,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("venture", "commissioner", "invited_by")
