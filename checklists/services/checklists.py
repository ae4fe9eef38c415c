"""Giving a venture a checklist, and adding, changing and dropping its items."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from seir.refusals import require
from ventures.models import Venture

from ..models import Checklist, ChecklistItem, ChecklistTemplate, TemplateItem
from ..permissions import checklist_access
from .errors import ChecklistError, item_data, lock_item


@transaction.atomic
def checklist_create(
    *, actor: User, venture: Venture, template: ChecklistTemplate | None
) -> Checklist:
    """Give ``venture`` a checklist copied from ``template`` (or an empty one). Spin-out
    items are copied only for NHS staff spin-outs."""
    require(checklist_access(actor, venture).review, "Only the programme's SEiR can do that.")
    Venture.objects.select_for_update(of=("self",)).filter(pk=venture.pk).first()
    if Checklist.objects.filter(venture=venture).exists():
        raise ChecklistError(f"{venture} already has a due-diligence checklist.")
    if template is not None and not template.is_active:
        raise ChecklistError(f"The template “{template}” is retired; choose another.")
    now = timezone.now()
    checklist = Checklist.objects.create(
        venture=venture, template=template, created_by=actor, created_at=now
    )
    items = []
    if template is not None:
        template_items = TemplateItem.objects.filter(
            section__template=template, is_active=True
        ).select_related("section")
        if not venture.is_spinout:
            template_items = template_items.exclude(spinout_only=True)
        items = ChecklistItem.objects.bulk_create(
            t.new_item(checklist=checklist, created_at=now)
            for t in template_items.order_by("section__order", "order", "id")
        )
    event_record(
        actor=actor,
        kind="checklist.created",
        subject=checklist,
        venture=venture,
        data={"template": str(template) if template else "", "items": len(items)},
        at=now,
    )
    return checklist


@transaction.atomic
def checklist_item_add(
    *,
    actor: User,
    checklist: Checklist,
    section: str,
    label: str,
    guidance: str = "",
    stage_code: str = "",
    owner: User | None = None,
    due_date: datetime.date | None = None,
    validity_months: int | None = None,
) -> ChecklistItem:
    venture = checklist.venture
    require(checklist_access(actor, venture).review, "Only the programme's SEiR can add items.")
    check_owner(venture=venture, owner=owner)
    siblings = ChecklistItem.objects.filter(checklist=checklist, section=section.strip())
    first = siblings.order_by("order").first()
    section_order = (
        first.section_order
        if first
        else (max(checklist.items.values_list("section_order", flat=True), default=0) + 1)
    )
    item = ChecklistItem(
        checklist=checklist,
        section=section.strip(),
        section_order=section_order,
        label=label.strip(),
        guidance=guidance.strip(),
        order=max(siblings.values_list("order", flat=True), default=0) + 1,
        stage_code=stage_code,
        owner=owner,
        due_date=due_date,
        validity_months=validity_months,
        created_at=timezone.now(),
    )
    item.full_clean()
    item.save()
    event_record(
        actor=actor,
        kind="checklist.item_added",
        subject=item,
        venture=venture,
        data=item_data(item),
    )
    return item


def check_owner(*, venture: Venture, owner: User | None) -> None:
    """An owner must be on the venture's team or run its programme."""
    if owner is None:
        return
    on_team = venture.team.filter(user=owner).exists()
    if not on_team and not checklist_access(owner, venture).review:
        raise ValidationError({"owner": f"{owner} is not on {venture}'s team or its SEiR."})


EDITABLE_FIELDS = (
    "label",
    "guidance",
    "stage_code",
    "owner",
    "due_date",
    "validity_months",
    "expires_on",
)


class ItemConflict(ChecklistError):
    """The item's details changed since the person's form was drawn. ``current``: the
    item as saved now, so the form can say what changed and re-base on it."""

    def __init__(self, current: ChecklistItem):
        super().__init__(
            f"Someone changed “{current}” while you were editing it. Nothing was saved: "
            "check the details and save again."
        )
        self.current = current


def item_details(item: ChecklistItem) -> dict:
    """The item's editable details as plain values (the owner as its key, dates as ISO
    text): what an edit form showed, carried with it so a refused save can tell which
    details changed meanwhile and which ones the person changed."""
    return {
        name: detail_value(name, getattr(item, "owner_id" if name == "owner" else name))
        for name in EDITABLE_FIELDS
    }


def detail_value(name: str, value):
    """One editable detail as ``item_details`` holds it (also for a form's typed value)."""
    if name == "owner" and value is not None and not isinstance(value, int):
        value = value.pk
    if isinstance(value, str):
        value = value.strip()
    return _plain(value)


def item_details_seen(item: ChecklistItem) -> str:
    """A short fingerprint of the item's editable details, carried by the edit form so a
    save from a stale page is refused instead of undoing someone else's newer edit.
    Evidence and status moves do not change it (only an acceptance, setting the expiry)."""
    values = [repr(getattr(item, "owner_id" if f == "owner" else f)) for f in EDITABLE_FIELDS]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]


@transaction.atomic
def checklist_item_update(
    *, actor: User, item: ChecklistItem, data: dict, expected_seen: str = ""
) -> list[str]:
    """Change only the fields in ``data`` that differ; returns the names changed.
    ``expected_seen``: ``item_details_seen`` of the item as the person loaded it (blank:
    not checked); if the details changed since, the save is refused (``ItemConflict``)."""
    venture = item.checklist.venture
    require(checklist_access(actor, venture).review, "Only the programme's SEiR can change items.")
    item = lock_item(item)
    if item.is_removed:
        raise ChecklistError("This item was removed from the checklist.")
    if expected_seen and expected_seen != item_details_seen(item):
        raise ItemConflict(item)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "owner" in data:
        check_owner(venture=venture, owner=data["owner"])
    changed = {}
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(item, name)
        if old != value:
            changed[name] = (old, value)
            setattr(item, name, value)
    if not changed:
        return []
    item.full_clean()
    item.save(update_fields=[*changed, "updated_at"])
    event_record(
        actor=actor,
        kind="checklist.item_updated",
        subject=item,
        venture=venture,
        data=item_data(item, fields={n: [_plain(o), _plain(v)] for n, (o, v) in changed.items()}),
    )
    return list(changed)


def _plain(value):
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def checklist_item_remove(*, actor: User, item: ChecklistItem, reason: str) -> ChecklistItem:
    """Drop an item from the checklist. It is kept (with its evidence) as removed."""
    venture = item.checklist.venture
    require(checklist_access(actor, venture).review, "Only the programme's SEiR can remove items.")
    item = lock_item(item)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why the item is removed (it is kept in the history)."}
        )
    if item.is_removed:
        raise ChecklistError("This item was already removed.")
    item.removed_at = timezone.now()
    item.removed_by = actor
    item.removal_reason = reason
    item.save(update_fields=["removed_at", "removed_by", "removal_reason", "updated_at"])
    event_record(
        actor=actor,
        kind="checklist.item_removed",
        subject=item,
        venture=venture,
        data=item_data(item, reason=reason),
    )
    return item
