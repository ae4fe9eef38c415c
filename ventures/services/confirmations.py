"""Gate conditions the SEiR confirms by hand, with evidence."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import gates
from ..models import GateCondition, GateConfirmation, Venture
from ..permissions import venture_access
from .errors import VentureError, require


@transaction.atomic
def gate_condition_confirm(
    *,
    actor: User,
    venture: Venture,
    condition: GateCondition,
    evidence: str,
    at: datetime | None = None,
) -> GateConfirmation:
    require(
        venture_access(actor, venture).manage,
        "Only the programme's SEiR can confirm gate conditions.",
    )
    kind = gates.get_kind(condition.kind)
    if condition.stage.programme_id != venture.programme_id or kind is None or not kind.confirmable:
        raise VentureError("That condition cannot be confirmed by hand.")
    evidence = evidence.strip()
    if not evidence:
        raise ValidationError({"evidence": "Say what shows this condition holds."})
    confirmation, _ = GateConfirmation.objects.update_or_create(
        venture=venture,
        condition=condition,
        defaults={
            "confirmed_by": actor,
            "confirmed_at": at or timezone.now(),
            "evidence": evidence,
        },
    )
    return confirmation


@transaction.atomic
def gate_condition_withdraw(*, actor: User, venture: Venture, condition: GateCondition) -> None:
    require(venture_access(actor, venture).manage)
    GateConfirmation.objects.filter(venture=venture, condition=condition).delete()
