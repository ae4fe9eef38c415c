"""Moving an item through its statuses: the one service that enforces ``status.py``."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from accounts.models import User
from events.models import Event
from events.selectors import events_about
from events.services import event_record
from seir.refusals import require

from ..models import ChecklistItem, ItemStatus
from ..permissions import can_make, checklist_access
from ..status import TRANSITIONS, Needs
from .errors import ChecklistError, item_data, lock_item


@transaction.atomic
def checklist_item_move(
    *,
    actor: User,
    item: ChecklistItem,
    to_status: str,
    comment: str = "",
    expected_status: str | None = None,
    expires_on: datetime.date | None = None,
) -> Event:
    """Move ``item`` to ``to_status`` if the table allows it and ``actor`` may.

    ``expected_status``: the status the person saw; if the item has moved since (a double
    submit, a colleague), the move is refused rather than applied to a different state.
    ``expires_on`` (acceptance only) overrides the expiry the validity period gives.
    Returns the move's event, which is the item's history (``selectors.item_history``).
    """
    venture = item.checklist.venture
    access = checklist_access(actor, venture)
    require(access.view, "You cannot see this checklist.")
    item = lock_item(item)
    if item.is_removed:
        raise ChecklistError("This item was removed from the checklist.")
    current = ItemStatus(item.status)
    if expected_status is not None and expected_status != item.status:
        if to_status == item.status:
            raise ChecklistError(_already_moved(item))
        raise ChecklistError(
            f"“{item}” is now {current.label.lower()}: someone changed it while you were "
            "looking. Check it and try again."
        )
    move = TRANSITIONS.require(
        item.status,
        to_status,
        refusal=ChecklistError,
        message="An item that is {current_lower} cannot become {target_lower}.",
    )
    require(can_make(access, move), "You cannot make that change to this item.")
    comment = comment.strip()
    if move.needs == Needs.COMMENT and not comment:
        raise ValidationError({"comment": "Write a comment saying what the team should change."})
    if move.needs == Needs.REASON and not comment:
        raise ValidationError({"comment": "Say why this item does not apply."})
    if (
        move.needs == Needs.EVIDENCE
        and not item.evidence.filter(superseded_at__isnull=True).exists()
    ):
        raise ChecklistError("Add a file or a link as evidence before submitting.")
    return _apply(actor=actor, item=item, move=move, comment=comment, expires_on=expires_on)


def _already_moved(item: ChecklistItem) -> str:
    """The item is already where the person asked it to go (a double click, or a teammate
    or the SEiR on another page): say who moved it and when, not "someone changed it"."""
    label = ItemStatus(item.status).label.lower()
    kinds = {m.event for s in TRANSITIONS for m in TRANSITIONS.moves(s) if m.to == item.status}
    last = events_about(subject=item, kinds=kinds).order_by("-at", "-id").first()
    if last is None:
        return f"“{item}” is already {label}."
    who = last.actor.display_name if last.actor else "the daily check"
    when = formats.date_format(timezone.localtime(last.at), "j M Y, H:i")
    return f"“{item}” is already {label}: {who} did it on {when}."


def _apply(*, actor, item, move, comment, expires_on=None, now=None) -> Event:
    now = now or timezone.now()
    from_status = item.status
    fields = ["status", "status_note", "updated_at"]
    item.status = move.to
    item.status_note = (
        comment if move.to in (ItemStatus.RETURNED, ItemStatus.NOT_APPLICABLE) else ""
    )
    if move.to in (ItemStatus.ACCEPTED, ItemStatus.RETURNED):
        item.reviewed_by, item.reviewed_at, item.review_comment = actor, now, comment
        fields += ["reviewed_by", "reviewed_at", "review_comment"]
    if move.to == ItemStatus.ACCEPTED:
        if expires_on is None and item.validity_months:
            expires_on = timezone.localdate(now) + relativedelta(months=item.validity_months)
        if expires_on is not None and expires_on < timezone.localdate(now):
            raise ValidationError({"expires_on": "The expiry date is in the past."})
        item.expires_on = expires_on
        fields.append("expires_on")
    item.full_clean()
    item.save(update_fields=fields)
    data = item_data(item, from_status=from_status, to_status=move.to)
    if comment:
        data["comment"] = comment
    if move.to == ItemStatus.ACCEPTED and item.expires_on:
        data["expires_on"] = item.expires_on.isoformat()
    return event_record(
        actor=actor,
        kind=move.event,
        subject=item,
        venture=item.checklist.venture,
        data=data,
        at=now,
    )


@transaction.atomic
def checklist_items_expire(*, today: datetime.date) -> int:
    """Mark accepted items whose validity ended before ``today`` as expired. Idempotent:
    a second run the same day finds nothing left to expire. Returns how many expired."""
    move = TRANSITIONS.move(ItemStatus.ACCEPTED, ItemStatus.EXPIRED)
    items = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("checklist__venture")
        .filter(status=ItemStatus.ACCEPTED, expires_on__lt=today, removed_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    for item in items:
        _apply(
            actor=None,
            item=item,
            move=move,
            comment=f"Expired: valid until {item.expires_on:%-d %B %Y}.",
            now=now,
        )
    return len(items)
