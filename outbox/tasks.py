"""The outbox's tasks: deliver a message (or a batch), and drain what is left undelivered."""

from __future__ import annotations

import logging
from datetime import datetime

from celery import shared_task
from django.utils import timezone

from .delivery import RESEND_AFTER, chunks, deliver_message, due_ids
from .models import OutboxMessage
from .retry import RETRY_OPTIONS

log = logging.getLogger(__name__)


@shared_task(name="outbox.deliver", ignore_result=True, **RETRY_OPTIONS)
def deliver(message_id: int) -> str:
    """Run one message's consumer; marks it delivered only when the consumer finishes.

    A consumer's failure is kept on the row and retried by the drain with backoff; the
    database or broker failing around it retries this task (``RETRY_OPTIONS``)."""
    return deliver_message(message_id)


@shared_task(name="outbox.deliver_many", ignore_result=True, **RETRY_OPTIONS)
def deliver_many(message_ids: list[int]) -> int:
    """``deliver`` for a batch (written together, or sent again by the drain): one task
    message instead of one per row. Returns how many were delivered by this run."""
    return sum(deliver_message(message_id) == "delivered" for message_id in message_ids)


def publish(message_ids: list[int]) -> bool:
    """Send the messages to the worker. Never raises: if the broker cannot be reached the
    messages stay in the outbox and the drain sends them later (False, logged)."""
    if not message_ids:
        return True
    try:
        if len(message_ids) == 1:
            deliver.apply_async((message_ids[0],), retry=False)
        else:
            for chunk in chunks(message_ids):
                deliver_many.apply_async((chunk,), retry=False)
    except Exception:  # noqa: BLE001 - the work is safe in the outbox; the drain sends it
        log.warning(
            "Outbox: %s message(s) not sent now (broker unreachable?); the drain sends them later",
            len(message_ids),
            exc_info=True,
        )
        return False
    return True


def drain_due(*, now: datetime | None = None) -> int:
    """Send again every message whose ``next_attempt_at`` has passed: never sent (the
    broker was down), taken by a worker that died, or failed and past its backoff. Each
    is marked to wait ``RESEND_AFTER`` again first, so the next tick leaves it alone.
    Returns how many were sent."""
    now = now or timezone.now()
    ids = due_ids(now=now)
    if not ids:
        return 0
    OutboxMessage.objects.filter(pk__in=ids, delivered_at__isnull=True).update(
        next_attempt_at=now + RESEND_AFTER
    )
    return len(ids) if publish(ids) else 0


@shared_task(name="outbox.drain", ignore_result=True, **RETRY_OPTIONS)
def drain() -> int:
    """Every minute (beat): the outbox's safety net, see ``drain_due``."""
    return drain_due()
