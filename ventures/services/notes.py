"""Notes on a venture."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from events.models import EventVisibility
from events.services import event_record
from seir.refusals import require

from .. import events
from ..models import NoteVisibility, Venture, VentureNote
from ..permissions import can_add_note, venture_access


@transaction.atomic
def venture_note_add(
    *, actor: User, venture: Venture, body: str, visibility: str, at: datetime | None = None
) -> VentureNote:
    access = venture_access(actor, venture)
    require(can_add_note(actor, venture, NoteVisibility.TEAM, access))
    if visibility == NoteVisibility.STAFF:
        require(
            can_add_note(actor, venture, visibility, access),
            "Only the SEiR can write SEiR-only notes.",
        )
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
    event_record(
        actor=actor,
        kind=events.NOTE_ADDED,
        subject=note,
        venture=venture,
        data={"body": body, "visibility": visibility},
        visibility=(
            EventVisibility.STAFF if visibility == NoteVisibility.STAFF else EventVisibility.TEAM
        ),
        at=note.created_at,
    )
    return note
