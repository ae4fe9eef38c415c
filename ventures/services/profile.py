"""Profile edits with per-field history, optimistic locking and reverts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from seir.refusals import require

from .. import events
from ..models import FieldChange, TeamMembership, TeamRole, Venture
from ..permissions import can_revert, editable_fields, venture_access
from .errors import EditConflict, VentureError, lock_venture
from .lifecycle import check_people


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
    """Apply profile edits, recording each changed field. Refuses a stale version.

    ``data`` holds only the fields the person changed: a field not in it is left exactly
    as it is (never cleared), and only fields whose value differs are written and
    recorded in the history. A stale version is not a conflict when ``data`` changes
    nothing (a form sent twice: its values are already saved).
    """
    allowed = editable_fields(actor, venture, venture_access(actor, venture))
    require(bool(allowed))
    forbidden = set(data) - set(allowed)
    require(not forbidden, "You cannot change " + ", ".join(sorted(forbidden)) + ".")
    current = lock_venture(venture)
    if current.version != expected_version and any(
        raw_value(getattr(current, field)) != raw_value(value) for field, value in data.items()
    ):
        start_values: dict[str, Any] = {}
        for field, old_value in (
            FieldChange.objects.filter(venture=current, version__gt=expected_version)
            .order_by("version", "id")
            .values_list("field", "old_value")
        ):
            start_values.setdefault(field, old_value)
        # Every field the person may edit, not only the ones they submitted: the form
        # re-bases the fields they left alone on the newly saved values.
        raise EditConflict(
            current=current,
            changed_fields=sorted(set(start_values) & set(allowed)),
            start_values=start_values,
        )
    if "lead" in data or "seir" in data:
        check_people(programme=current.programme, lead=data.get("lead"), seir=data.get("seir"))
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
    # One event per save, listing every field it changed.
    event_record(
        actor=actor,
        kind=events.PROFILE_EDITED,
        subject=current,
        venture=current,
        data={"version": current.version, "changes": [_change_data(c) for c in changes]},
        at=now,
    )
    return changes


def _change_data(change: FieldChange) -> dict:
    return {
        "field": change.field,
        "label": change.field_label,
        "old": change.old_value,
        "new": change.new_value,
        "old_display": change.old_display,
        "new_display": change.new_display,
    }


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
    require(can_revert(actor, venture), "Only the programme's SEiR can revert changes.")
    current = lock_venture(venture)
    if raw_value(getattr(current, change.field)) != change.new_value:
        raise VentureError(
            f"{Venture._meta.get_field(change.field).verbose_name.capitalize()} has been changed "
            "again since; revert the later change first."
        )
    old = _value_for(change.field, change.old_value)
    if change.old_value is not None and old is None:
        raise VentureError("The earlier value no longer exists, so it cannot be restored.")
    if change.field in ("lead", "seir"):
        check_people(programme=current.programme, **{change.field: old})
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
    event_record(
        actor=actor,
        kind=events.CHANGE_REVERTED,
        subject=revert,
        venture=current,
        data={**_change_data(revert), "reverted_change_id": change.pk, "version": current.version},
        at=now,
    )
    return revert
