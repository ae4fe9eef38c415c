"""Handlers ventures subscribes to events (run after commit, never for a rollback)."""

from __future__ import annotations

from django.db.models import Q

from events.registry import ALL_KINDS, subscribe

from .models import Venture


@subscribe(ALL_KINDS)
def venture_touch_last_activity(event) -> None:
    """Keep ``Venture.last_activity_at`` at the newest event about the venture, whichever
    app recorded it, so the list can sort by last activity without reading events.

    Conditional, so events handled out of order (or a replayed one) never move it back.
    """
    if event.venture_id is None:
        return
    Venture.objects.filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=event.at), pk=event.venture_id
    ).update(last_activity_at=event.at)
