"""Gate conditions the SEiR confirms by hand, with evidence.

Confirmations are never deleted or overwritten: withdrawing one stamps it withdrawn, and
confirming again with new evidence stamps the earlier one replaced and adds a new row,
so the history of who vouched for what, and on which evidence, is kept.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from seir.refusals import require

from .. import events, gates
from ..models import GateCondition, GateConfirmation, Venture
from ..permissions import can_confirm_gate
from .errors import VentureError, lock_venture


def _snapshot(confirmation: GateConfirmation) -> dict:
    snapshot = {
        "evidence": confirmation.evidence,
        "confirmed_by": (
            confirmation.confirmed_by.display_name if confirmation.confirmed_by else ""
        ),
        "confirmed_by_id": confirmation.confirmed_by_id,
        "confirmed_at": confirmation.confirmed_at.isoformat(),
    }
    if confirmation.override_reason:
        snapshot["override_reason"] = confirmation.override_reason
    return snapshot


def _current(venture: Venture, condition: GateCondition) -> GateConfirmation | None:
    return (
        GateConfirmation.objects.current()
        .filter(venture=venture, condition=condition)
        .select_related("confirmed_by")
        .first()
    )


@transaction.atomic
def gate_condition_confirm(
    *,
    actor: User,
    venture: Venture,
    condition: GateCondition,
    evidence: str,
    override_reason: str = "",
    at: datetime | None = None,
) -> GateConfirmation:
    """Confirm ``condition`` for ``venture``; a second confirmation replaces the evidence
    and keeps the earlier confirmation (the event carries what it replaced).

    A condition that covers another source (params "covers", e.g. "Due diligence passed"
    over the stage's required checklist items) may be confirmed against what that source
    says is outstanding only as an override, with a written reason: the same rule as a
    stage move past an unmet gate. Without a reason nothing is written."""
    require(
        can_confirm_gate(actor, venture),
        "Only the programme's SEiR can confirm gate conditions.",
    )
    kind = gates.get_kind(condition.kind)
    if condition.stage.programme_id != venture.programme_id or kind is None or not kind.confirmable:
        raise VentureError("That condition cannot be confirmed by hand.")
    evidence = evidence.strip()
    override_reason = override_reason.strip()
    if not evidence:
        raise ValidationError({"evidence": "Say what shows this condition holds."})
    lock_venture(venture)  # two SEiRs confirming at once: one replaces the other, in order
    outstanding = gates.cover_outstanding(venture, condition)
    if not outstanding:
        override_reason = ""  # nothing is contradicted, so nothing is overridden
    elif not override_reason:
        raise ValidationError(
            {
                "override_reason": f"Not confirmed: {outstanding} To confirm “{condition}” "
                "anyway, write an override reason (why it holds all the same)."
            }
        )
    now = at or timezone.now()
    previous = _current(venture, condition)
    if previous is not None:
        if previous.evidence == evidence and previous.override_reason == override_reason:
            raise ValidationError({"evidence": "That is already the evidence on record."})
        previous.withdrawn_at = now
        previous.withdrawn_by = actor
        previous.save(update_fields=["withdrawn_at", "withdrawn_by"])
    confirmation = GateConfirmation(
        venture=venture,
        condition=condition,
        confirmed_by=actor,
        confirmed_at=now,
        evidence=evidence,
        override_reason=override_reason,
        overridden=outstanding if override_reason else "",
    )
    confirmation.full_clean()
    confirmation.save()
    data = {"condition": condition.label, "condition_id": condition.pk, "evidence": evidence}
    if override_reason:
        data["override_reason"] = override_reason
        data["overridden"] = outstanding
    if previous is not None:
        data["previous"] = _snapshot(previous)
    event_record(
        actor=actor,
        kind=events.GATE_EVIDENCE_REPLACED if previous is not None else events.GATE_CONFIRMED,
        subject=confirmation,
        venture=venture,
        data=data,
        at=now,
    )
    return confirmation


@transaction.atomic
def gate_condition_withdraw(
    *, actor: User, venture: Venture, condition: GateCondition, at: datetime | None = None
) -> GateConfirmation:
    """Withdraw the current confirmation: it stops counting, and is kept with its evidence."""
    require(can_confirm_gate(actor, venture), "Only the programme's SEiR can withdraw it.")
    lock_venture(venture)
    confirmation = _current(venture, condition)
    if confirmation is None:
        raise VentureError(f"“{condition}” is not confirmed, so there is nothing to withdraw.")
    confirmation.withdrawn_at = at or timezone.now()
    confirmation.withdrawn_by = actor
    confirmation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    event_record(
        actor=actor,
        kind=events.GATE_WITHDRAWN,
        subject=confirmation,
        venture=venture,
        data={
            "condition": condition.label,
            "condition_id": condition.pk,
            **_snapshot(confirmation),
        },
        at=confirmation.withdrawn_at,
    )
    return confirmation
