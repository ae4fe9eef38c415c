"""A venture's life in the pipeline: creation, stage moves, status."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from accounts.permissions import runs_programme
from accounts.roles import STAFF_ROLES
from events.models import Event
from events.services import event_record
from seir.refusals import require

from .. import events, gates
from ..models import (
    STATUS_TRANSITIONS,
    STATUSES_NEEDING_REASON,
    LegalForm,
    Stage,
    StageChange,
    StageTransition,
    TeamMembership,
    TeamRole,
    Venture,
    VentureStatus,
)
from ..permissions import can_change_status, venture_access, venture_is_movable
from .errors import MoveRefused, VentureError, lock_venture


@transaction.atomic
def venture_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    summary: str = "",
    need: str = "",
    beneficiaries: str = "",
    area: str = "",
    legal_form: LegalForm | None = None,
    origin: str = "community",
    is_spinout: bool = False,
    lead: User | None = None,
    seir: User | None = None,
    stage: Stage | None = None,
    at: datetime | None = None,
) -> Venture:
    require(runs_programme(actor, programme.pk))
    if stage is None:
        stage = Stage.objects.filter(programme=programme).order_by("order").first()
        if stage is None:
            raise VentureError(f"{programme} has no stages yet; an administrator must add them.")
    elif stage.programme_id != programme.pk:
        raise ValidationError({"stage": "That stage belongs to another programme."})
    check_people(programme=programme, lead=lead, seir=seir)
    at = at or timezone.now()
    venture = Venture(
        programme=programme,
        name=name,
        summary=summary,
        need=need,
        beneficiaries=beneficiaries,
        area=area,
        legal_form=legal_form,
        origin=origin,
        is_spinout=is_spinout,
        lead=lead,
        seir=seir if seir is not None else actor,
        stage=stage,
        stage_entered_at=at,
    )
    venture.full_clean()
    venture.save()
    if lead is not None:
        TeamMembership.objects.create(venture=venture, user=lead, role=TeamRole.LEAD)
    change = StageChange.objects.create(
        venture=venture,
        from_stage=None,
        to_stage=stage,
        changed_by=actor,
        changed_at=at,
        note="Venture added to the pipeline.",
    )
    event_record(
        actor=actor,
        kind=events.VENTURE_CREATED,
        subject=venture,
        venture=venture,
        data={
            "stage": stage.name,
            "stage_id": stage.pk,
            "lead": lead.display_name if lead else "",
        },
        at=change.changed_at,
    )
    return venture


def check_people(
    *, programme: Programme, lead: User | None = None, seir: User | None = None
) -> None:
    errors = {}
    if lead is not None and not lead.programme_memberships.filter(programme=programme).exists():
        errors["lead"] = f"{lead} is not a member of {programme}."
    if (
        seir is not None
        and not seir.programme_memberships.filter(
            programme=programme, role__in=STAFF_ROLES
        ).exists()
    ):
        errors["seir"] = f"{seir} is not a SEiR of {programme}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def venture_move(
    *,
    actor: User,
    venture: Venture,
    to_stage: Stage,
    note: str = "",
    override_reason: str = "",
    expected_stage: Stage | None = None,
    at: datetime | None = None,
) -> StageChange:
    """Move a venture to another stage, through the allowed transitions and the gate.

    A failing gate refuses the move unless the SEiR gives a written override reason.
    """
    access = venture_access(actor, venture)
    require(access.manage, "Only the programme's SEiR can move ventures.")
    venture = lock_venture(venture)
    from_stage = venture.stage
    if expected_stage is not None and expected_stage.pk != from_stage.pk:
        raise MoveRefused(
            f"{venture} has moved to {from_stage} since you loaded the page. Reload and try again."
        )
    if not venture_is_movable(venture):
        raise MoveRefused(
            f"{venture} is {venture.get_status_display().lower()}. Reactivate it before moving it."
        )
    if to_stage.pk == from_stage.pk:
        raise MoveRefused(f"{venture} is already in {to_stage}.")
    transition = StageTransition.objects.filter(from_stage=from_stage, to_stage=to_stage).first()
    if transition is None:
        raise MoveRefused(f"Ventures cannot move from {from_stage} straight to {to_stage}.")
    override_reason = override_reason.strip()
    unmet: list[str] = []
    if transition.requires_gate:
        status = gates.gate_status(venture)
        unmet = [r.condition.label for r in status.unmet]
        if unmet and not override_reason:
            raise MoveRefused(
                f"The gate to leave {from_stage} is not met: " + "; ".join(unmet) + ".",
                unmet=unmet,
                can_override=True,
            )
    if not unmet:
        override_reason = ""  # nothing was overridden
    at = at or timezone.now()
    venture.stage = to_stage
    venture.stage_entered_at = at
    venture.save(update_fields=["stage", "stage_entered_at", "updated_at"])
    change = StageChange.objects.create(
        venture=venture,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by=actor,
        changed_at=at,
        note=note.strip(),
        override_reason=override_reason,
        unmet_conditions=unmet,
    )
    event_record(
        actor=actor,
        kind=events.VENTURE_MOVED,
        subject=change,
        venture=venture,
        data={
            "from_stage": from_stage.name,
            "from_stage_id": from_stage.pk,
            "to_stage": to_stage.name,
            "to_stage_id": to_stage.pk,
            "note": change.note,
            "override_reason": override_reason,
            "unmet": unmet,
        },
        at=change.changed_at,
    )
    return change


@transaction.atomic
def venture_set_status(
    *, actor: User, venture: Venture, to_status: str, reason: str = "", at: datetime | None = None
) -> Event:
    """Change the venture's status. The history of its statuses is these events alone
    (``venture.status_changed``, about the venture: from, to, their labels, the reason)."""
    require(can_change_status(actor, venture), "Only the programme's SEiR can change status.")
    venture = lock_venture(venture)
    reason = reason.strip()
    STATUS_TRANSITIONS.require(
        venture.status,
        to_status,
        refusal=VentureError,
        message="A {current_lower} venture cannot become {target_lower}.",
    )
    if to_status in STATUSES_NEEDING_REASON and not reason:
        raise ValidationError({"reason": "Give a reason (it is kept in the venture's history)."})
    from_status = venture.status
    venture.status = to_status
    venture.status_reason = reason if to_status != VentureStatus.ACTIVE else ""
    venture.save(update_fields=["status", "status_reason", "updated_at"])
    return event_record(
        actor=actor,
        kind=events.STATUS_CHANGED,
        subject=venture,
        venture=venture,
        data={
            "from": from_status,
            "to": to_status,
            "from_label": VentureStatus(from_status).label,
            "to_label": VentureStatus(to_status).label,
            "reason": reason,
        },
        at=at or timezone.now(),
    )
