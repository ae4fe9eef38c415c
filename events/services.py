"""The one entry point through which everything that happens is recorded."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User

from .models import Event
from .registry import get_kind, handlers_for

log = logging.getLogger(__name__)


def _after_commit(handler, event: Event):
    def run_handler():
        handler(event)

    run_handler.__qualname__ = f"{getattr(handler, '__qualname__', handler)!s}"
    return run_handler


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
    event = Event(
        at=at or timezone.now(),
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
) -> Event:
    """Record that ``actor`` did ``kind`` to ``subject`` (in ``venture``/``programme``).

    Call it from a service, inside the service's transaction, after the change itself:
    if the change rolls back, so does the event, and no handler runs. Handlers subscribed
    to the kind run after commit (``transaction.on_commit``), each on its own, so one
    failing handler is logged and neither undoes the change nor stops the others.
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
    )
    event.save()
    _schedule_handlers(event)
    return event


def event_record_many(
    *, actor: User | None, kind: str, records: Iterable[dict[str, Any]], batch_size: int = 1000
) -> list[Event]:
    """The bulk path (imports, demo data at scale): one event per record, written with
    ``bulk_create`` in the caller's transaction. Each record holds what ``event_record``
    takes besides ``actor`` and ``kind`` (subject, venture, programme, data, visibility,
    at). Handlers run after commit, as for ``event_record``."""
    events = [_build(actor=actor, kind=kind, **record) for record in records]
    Event.objects.bulk_create(events, batch_size=batch_size)
    for event in events:
        _schedule_handlers(event)
    return events
