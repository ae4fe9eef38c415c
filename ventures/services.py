"""Writes. Each service checks the actor's permission, validates, writes its audit row
and runs inside one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from accounts.roles import Role

from . import gates
from .models import (
    STATUS_TRANSITIONS,
    STATUSES_NEEDING_REASON,
    DefaultStage,
    FieldChange,
    GateCondition,
    GateConfirmation,
    LegalForm,
    NoteVisibility,
    Stage,
    StageChange,
    StageTransition,
    StatusChange,
    TeamMembership,
    TeamRole,
    Venture,
    VentureNote,
    VentureStatus,
)
from .selectors import venture_access


class VentureError(Exception):
    """A refusal to show the user (never a 500)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MoveRefused(VentureError):
    def __init__(self, message: str, *, unmet: list[str] | None = None, can_override: bool = False):
        super().__init__(message)
        self.unmet = unmet or []
        self.can_override = can_override


class EditConflict(VentureError):
    """Someone else saved the venture after this edit began.

    ``changed_fields``: the submitted fields others changed since; ``start_values``: each
    one's raw value when the edit began, so a caller can tell which ones the person
    left alone (those can safely take the newly saved value).
    """

    def __init__(self, *, current: Venture, changed_fields: list[str], start_values: dict):
        super().__init__(
            "Someone else saved changes to this venture while you were editing. "
            "Your changes have not been saved: check the current values, then save again."
        )
        self.current = current
        self.changed_fields = changed_fields
        self.start_values = start_values


# Profile fields a team member may edit; staff may also edit the rest.
TEAM_EDITABLE_FIELDS = ("name", "summary", "need", "beneficiaries", "area", "legal_form")
STAFF_EDITABLE_FIELDS = (*TEAM_EDITABLE_FIELDS, "origin", "is_spinout", "lead", "seir")


def _require(condition: bool, message: str = "You do not have permission to do that.") -> None:
    if not condition:
        raise PermissionDenied(message)


def _lock(venture: Venture) -> Venture:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        Venture.objects.select_for_update(of=("self",))
        .select_related("legal_form")
        .get(pk=venture.pk)
    )


# --- programmes and stages ---------------------------------------------------------


@transaction.atomic
def programme_install_default_stages(*, programme: Programme) -> list[Stage]:
    """Copy the default stage set (with gates and transitions) into a new programme.

    Idempotent: a programme that already has stages is left alone.
    """
    existing = list(Stage.objects.filter(programme=programme).order_by("order"))
    if existing:
        return existing
    stages = []
    for default in DefaultStage.objects.order_by("order"):
        stage = Stage.objects.create(
            programme=programme,
            code=default.code,
            name=default.name,
            order=default.order,
            exit_criteria=default.exit_criteria,
        )
        GateCondition.objects.bulk_create(
            GateCondition(
                stage=stage,
                kind=item.get("kind", "confirmed"),
                label=item["label"],
                params=item.get("params", {}),
                order=index,
            )
            for index, item in enumerate(default.gate)
        )
        stages.append(stage)
    transitions = []
    for earlier, later in zip(stages, stages[1:], strict=False):
        transitions.append(StageTransition(from_stage=earlier, to_stage=later, requires_gate=True))
        transitions.append(StageTransition(from_stage=later, to_stage=earlier, requires_gate=False))
    StageTransition.objects.bulk_create(transitions)
    return stages


# --- ventures ----------------------------------------------------------------------


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
    from accounts.selectors import programmes_run_by

    _require(programmes_run_by(actor).filter(pk=programme.pk).exists())
    if stage is None:
        stage = Stage.objects.filter(programme=programme).order_by("order").first()
        if stage is None:
            raise VentureError(f"{programme} has no stages yet; an administrator must add them.")
    elif stage.programme_id != programme.pk:
        raise ValidationError({"stage": "That stage belongs to another programme."})
    _check_people(programme=programme, lead=lead, seir=seir)
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
    )
    venture.full_clean()
    venture.save()
    if lead is not None:
        TeamMembership.objects.create(venture=venture, user=lead, role=TeamRole.LEAD)
    StageChange.objects.create(
        venture=venture,
        from_stage=None,
        to_stage=stage,
        changed_by=actor,
        changed_at=at or timezone.now(),
        note="Venture added to the pipeline.",
    )
    return venture


def _check_people(
    *, programme: Programme, lead: User | None = None, seir: User | None = None
) -> None:
    errors = {}
    if lead is not None and not lead.programme_memberships.filter(programme=programme).exists():
        errors["lead"] = f"{lead} is not a member of {programme}."
    if (
        seir is not None
        and not seir.programme_memberships.filter(
            programme=programme, role__in=[Role.SEIR, Role.ADMINISTRATOR]
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
    _require(venture_access(actor, venture).manage, "Only the programme's SEiR can move ventures.")
    venture = _lock(venture)
    from_stage = venture.stage
    if expected_stage is not None and expected_stage.pk != from_stage.pk:
        raise MoveRefused(
            f"{venture} has moved to {from_stage} since you loaded the page. Reload and try again."
        )
    if venture.status != VentureStatus.ACTIVE:
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
    venture.stage = to_stage
    venture.save(update_fields=["stage", "updated_at"])
    return StageChange.objects.create(
        venture=venture,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by=actor,
        changed_at=at or timezone.now(),
        note=note.strip(),
        override_reason=override_reason,
        unmet_conditions=unmet,
    )


@transaction.atomic
def venture_set_status(
    *, actor: User, venture: Venture, to_status: str, reason: str = "", at: datetime | None = None
) -> StatusChange:
    _require(venture_access(actor, venture).manage, "Only the programme's SEiR can change status.")
    venture = _lock(venture)
    reason = reason.strip()
    if to_status not in STATUS_TRANSITIONS.get(venture.status, ()):
        raise VentureError(
            f"A {venture.get_status_display().lower()} venture cannot become "
            f"{VentureStatus(to_status).label.lower()}."
        )
    if to_status in STATUSES_NEEDING_REASON and not reason:
        raise ValidationError({"reason": "Give a reason (it is kept in the venture's history)."})
    change = StatusChange.objects.create(
        venture=venture,
        from_status=venture.status,
        to_status=to_status,
        reason=reason,
        changed_by=actor,
        changed_at=at or timezone.now(),
    )
    venture.status = to_status
    venture.status_reason = reason if to_status != VentureStatus.ACTIVE else ""
    venture.save(update_fields=["status", "status_reason", "updated_at"])
    return change


def raw_value(value: Any) -> Any:
    """A field value as stored in the history (a related object as its key)."""
    return value.pk if hasattr(value, "pk") else value


def field_display(venture: Venture, field: str) -> str:
    """How a profile field's current value reads to a person."""
    return _display(venture, field, getattr(venture, field))


def _display(venture: Venture, field: str, value: Any) -> str:
    model_field = Venture._meta.get_field(field)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@transaction.atomic
def venture_update_profile(
    *, actor: User, venture: Venture, data: dict[str, Any], expected_version: int
) -> list[FieldChange]:
    """Apply profile edits, recording each changed field. Refuses a stale version."""
    access = venture_access(actor, venture)
    _require(access.edit_profile)
    allowed = STAFF_EDITABLE_FIELDS if access.manage else TEAM_EDITABLE_FIELDS
    forbidden = set(data) - set(allowed)
    _require(not forbidden, "You cannot change " + ", ".join(sorted(forbidden)) + ".")
    current = _lock(venture)
    if current.version != expected_version:
        start_values: dict[str, Any] = {}
        for field, old_value in (
            FieldChange.objects.filter(venture=current, version__gt=expected_version)
            .order_by("version", "id")
            .values_list("field", "old_value")
        ):
            start_values.setdefault(field, old_value)
        raise EditConflict(
            current=current,
            changed_fields=sorted(set(start_values) & set(data)),
            start_values=start_values,
        )
    if "lead" in data or "seir" in data:
        _check_people(programme=current.programme, lead=data.get("lead"), seir=data.get("seir"))
    now = timezone.now()
    changes = []
    for field in allowed:
        if field not in data:
            continue
        old, new = getattr(current, field), data[field]
        if raw_value(old) == raw_value(new):
            continue
        changes.append(
            FieldChange(
                venture=current,
                field=field,
                old_value=raw_value(old),
                new_value=raw_value(new),
                old_display=_display(current, field, old),
                new_display=_display(current, field, new),
                changed_by=actor,
                changed_at=now,
            )
        )
        setattr(current, field, new)
    if not changes:
        return []
    current.full_clean()
    current.version += 1
    for change in changes:
        change.version = current.version
    current.save(update_fields=[c.field for c in changes] + ["version", "updated_at"])
    if any(c.field == "lead" for c in changes):
        _sync_lead_membership(current)
    FieldChange.objects.bulk_create(changes)
    venture.version = current.version
    return changes


def _sync_lead_membership(venture: Venture) -> None:
    """Exactly the venture's lead holds the team's lead role; a former lead stays on
    the team as a member."""
    venture.team.filter(role=TeamRole.LEAD).exclude(user_id=venture.lead_id).update(
        role=TeamRole.MEMBER
    )
    if venture.lead_id is not None:
        TeamMembership.objects.update_or_create(
            venture=venture, user_id=venture.lead_id, defaults={"role": TeamRole.LEAD}
        )


def _value_for(field: str, raw: Any) -> Any:
    model_field = Venture._meta.get_field(field)
    if model_field.is_relation and raw is not None:
        return model_field.related_model._default_manager.filter(pk=raw).first()
    return raw


@transaction.atomic
def venture_revert_change(*, actor: User, change: FieldChange) -> FieldChange:
    """Put a field back to its value before ``change`` (staff only)."""
    venture = change.venture
    _require(venture_access(actor, venture).manage, "Only the programme's SEiR can revert changes.")
    current = _lock(venture)
    if raw_value(getattr(current, change.field)) != change.new_value:
        raise VentureError(
            f"{Venture._meta.get_field(change.field).verbose_name.capitalize()} has been changed "
            "again since; revert the later change first."
        )
    old = _value_for(change.field, change.old_value)
    if change.old_value is not None and old is None:
        raise VentureError("The earlier value no longer exists, so it cannot be restored.")
    if change.field in ("lead", "seir"):
        _check_people(programme=current.programme, **{change.field: old})
    now = timezone.now()
    revert = FieldChange(
        venture=current,
        field=change.field,
        old_value=change.new_value,
        new_value=change.old_value,
        old_display=change.new_display,
        new_display=change.old_display,
        changed_by=actor,
        changed_at=now,
        reverts=change,
    )
    setattr(current, change.field, old)
    current.version += 1
    revert.version = current.version
    current.save(update_fields=[change.field, "version", "updated_at"])
    revert.save()
    if change.field == "lead":
        _sync_lead_membership(current)
    return revert


@transaction.atomic
def venture_note_add(
    *, actor: User, venture: Venture, body: str, visibility: str, at: datetime | None = None
) -> VentureNote:
    access = venture_access(actor, venture)
    _require(access.add_notes)
    if visibility == NoteVisibility.STAFF:
        _require(access.manage, "Only the SEiR can write SEiR-only notes.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the note first."})
    note = VentureNote(
        venture=venture,
        author=actor,
        body=body,
        visibility=visibility,
        created_at=at or timezone.now(),
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def gate_condition_confirm(
    *,
    actor: User,
    venture: Venture,
    condition: GateCondition,
    evidence: str,
    at: datetime | None = None,
) -> GateConfirmation:
    _require(
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
    _require(venture_access(actor, venture).manage)
    GateConfirmation.objects.filter(venture=venture, condition=condition).delete()


@transaction.atomic
def team_member_add(*, actor: User, venture: Venture, user: User, role: str) -> TeamMembership:
    _require(
        venture_access(actor, venture).manage, "Only the programme's SEiR can change the team."
    )
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
    _require(venture_access(actor, membership.venture).manage)
    if membership.venture.lead_id == membership.user_id:
        raise VentureError("Choose another lead entrepreneur before removing this one.")
    membership.delete()
