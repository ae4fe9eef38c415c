"""The one entry point through which everything that happens is recorded."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from outbox.services import outbox_put, outbox_put_many

from .models import Event
from .registry import get_kind, handlers_for, kind_notifies

log = logging.getLogger(__name__)


def _after_commit(handler, event: Event):
    def run_handler():
        handler(event)

    run_handler.__qualname__ = f"{getattr(handler, '__qualname__', handler)!s}"
    return run_handler


def moment_of(day: dt.date, *, now: datetime | None = None) -> datetime:
    """The moment an event known only by its ``day`` is filed at: now when the day is
    today (so today's steps keep the order they were recorded in), otherwise midday of
    that day, local time, which sorts it among that day's events and inside that day
    whatever the time zone's offset."""
    now = now or timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _build(
    *,
    actor: User | None,
    kind: str,
    subject: Any = None,
    venture: Any = None,
    programme: Programme | None = None,
    data: dict[str, Any] | None = None,
    visibility: str | None = None,
    at: datetime | None = None,
    on: dt.date | None = None,
    now: datetime | None = None,
) -> Event:
    info = get_kind(kind)
    if info is None:
        raise ValueError(f"Unknown event kind {kind!r}: register it in the app's ready().")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the service's transaction.")
    if programme is None and venture is not None:
        programme_id = venture.programme_id
    elif programme is None and isinstance(subject, Programme):
        programme_id = subject.pk
    elif programme is None and subject is not None:
        programme_id = getattr(subject, "programme_id", None)
    else:
        programme_id = programme.pk if programme is not None else None
    now = now or timezone.now()
    event = Event(
        at=at or (moment_of(on, now=now) if on is not None else now),
        # Only the day is known when the caller gave the day and no moment.
        at_is_day=at is None and on is not None,
        recorded_at=now,
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        programme_id=programme_id,
        venture_id=venture.pk if venture is not None else None,
        venture_label=str(venture)[:200] if venture is not None else "",
        data=data or {},
        visibility=visibility or info.visibility,
    )
    if subject is not None and subject.pk is not None:
        event.subject_type = ContentType.objects.get_for_model(subject)
        event.subject_id = str(subject.pk)
        event.subject_label = str(subject)[:200]
    return event


# The outbox topic whose consumer tells people of an event (notifications).
NOTIFY_TOPIC = "event.notify"


def _notifies(kind: str) -> bool:
    """Whether events of ``kind`` tell anybody (a notification rule in ``events.registry``)."""
    return kind_notifies(kind)


def _schedule_handlers(event: Event) -> None:
    for handler in handlers_for(event.kind):
        transaction.on_commit(_after_commit(handler, event), robust=True)


def event_record(
    *,
    actor: User | None,
    kind: str,
    subject: Any = None,
    venture: Any = None,
    programme: Programme | None = None,
    data: dict[str, Any] | None = None,
    visibility: str | None = None,
    at: datetime | None = None,
    on: dt.date | None = None,
) -> Event:
    """Record that ``actor`` did ``kind`` to ``subject`` (in ``venture``/``programme``).

    When it happened: ``at`` (a moment, e.g. a meeting's start), or ``on`` (a day, e.g.
    the date a person gave an introduction step), or now. The feeds sort and filter by
    that; the time it is recorded is kept beside it (``Event.recorded_at``).

    Call it from a service, inside the service's transaction, after the change itself:
    if the change rolls back, so does the event, and no handler runs. Handlers subscribed
    to the kind run after commit (``transaction.on_commit``), each on its own, so one
    failing handler is logged and neither undoes the change nor stops the others.

    When the kind tells people (notifications), one outbox row for the worker is written
    in the same transaction (one INSERT): the telling is never lost, even if the broker
    is down when the change commits.
    """
    event = _build(
        actor=actor,
        kind=kind,
        subject=subject,
        venture=venture,
        programme=programme,
        data=data,
        visibility=visibility,
        at=at,
        on=on,
    )
    event.save()
    if _notifies(kind):
        outbox_put(topic=NOTIFY_TOPIC, payload={"event_id": event.pk})
    _schedule_handlers(event)
    return event


def event_record_many(
    *, actor: User | None, kind: str, records: Iterable[dict[str, Any]], batch_size: int = 1000
) -> list[Event]:
    """The bulk path (imports, demo data at scale): one event per record, written with
    ``bulk_create`` in the caller's transaction. Each record holds what ``event_record``
    takes besides ``actor`` and ``kind`` (subject, venture, programme, data, visibility,
    at, on). Handlers run after commit, as for ``event_record``; a handler with a ``many``
    attribute (``handler.many(events)``) gets the whole batch in one call instead. Kinds
    that tell people get their outbox rows in one more bulk INSERT."""
    now = timezone.now()
    events = [_build(actor=actor, kind=kind, now=now, **record) for record in records]
    Event.objects.bulk_create(events, batch_size=batch_size)
    if _notifies(kind):
        # One bulk INSERT of outbox rows, as for the events.
        outbox_put_many(topic=NOTIFY_TOPIC, payloads=[{"event_id": e.pk} for e in events])
    for handler in handlers_for(kind):
        many = getattr(handler, "many", None)
        if many is not None:
            # The handler's batch form: one call for all of them, not one per event.
            transaction.on_commit(_after_commit(many, events), robust=True)
        else:
            for event in events:
                transaction.on_commit(_after_commit(handler, event), robust=True)
    return events
