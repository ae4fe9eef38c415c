"""Handlers ventures subscribes to events (``events.register()`` subscribes them; they
run after commit, never for a rollback)."""

from __future__ import annotations

from django.db.models import Case, Q, Value, When

from .models import Venture


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


BATCH = 500


def _touch_many(events) -> int:
    """The batch form (bulk imports, demo data at scale): a few UPDATEs of many rows
    instead of one per event, with the same never-backwards rule, writing only the rows
    it moves; returns how many it wrote."""
    newest: dict[int, object] = {}
    for event in events:
        if event.venture_id is not None and (
            event.venture_id not in newest or newest[event.venture_id] < event.at
        ):
            newest[event.venture_id] = event.at
    ids = sorted(newest)
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        at = Case(*[When(pk=pk, then=Value(newest[pk])) for pk in chunk])
        # Only the rows it moves forward are written (an import's rows come with it).
        written += Venture.objects.filter(
            Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=at), pk__in=chunk
        ).update(last_activity_at=at)
    return written


venture_touch_last_activity.many = _touch_many
