"""Running outbox messages: take one, run its consumer, mark it delivered only then.

Used by the tasks in ``outbox.tasks`` (which the worker runs) and by tests, which pass
``now`` to move the clock.

A message is *taken* by a conditional UPDATE (``taken_at``), so two copies of one message
(the drain sent it again while the first copy waited in the broker) never run at once;
the second finds it taken or delivered and does nothing. A worker that dies mid-run
leaves ``taken_at`` set; after ``RESEND_AFTER`` the drain sends the message again and the
next run may take it. A consumer that raises leaves the message undelivered with the
error, and the drain sends it again after a backoff that doubles with each attempt.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage
from .registry import consumer_for

log = logging.getLogger(__name__)

# A message still undelivered this long after it was written, sent or taken is sent
# again by the drain. Longer than any consumer runs (a run still going when a copy
# arrives is harmless, consumers are idempotent, but wasteful). 5 minutes unless
# settings.OUTBOX_RESEND_AFTER_SECONDS says otherwise (the soak, scripts/soak.py, waits less).
RESEND_AFTER = timedelta(seconds=getattr(settings, "OUTBOX_RESEND_AFTER_SECONDS", 5 * 60))
# After a failed run: 1, 2, 4 ... minutes, at most an hour apart, for as long as it takes
# (/healthz shows the age of the oldest undelivered message meanwhile).
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
# The most messages one drain tick sends again.
DRAIN_BATCH = 1000
# Messages per ``deliver_many`` task.
CHUNK = 500
LAST_ERROR_MAX_CHARS = 2000

DELIVERED = "delivered"
SKIPPED = "skipped"  # already delivered, or being run by another worker
FAILED = "failed"


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed run (1-based)."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def _take(message_id: int, now: datetime) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=message_id, delivered_at__isnull=True)
        .filter(Q(taken_at__isnull=True) | Q(taken_at__lte=now - RESEND_AFTER))
        .update(taken_at=now, attempts=F("attempts") + 1, next_attempt_at=now + RESEND_AFTER)
    )


def deliver_message(message_id: int, *, now: datetime | None = None) -> str:
    """Run message ``message_id`` once if it is undelivered and nobody is running it.

    Returns ``DELIVERED``, ``SKIPPED`` or ``FAILED`` (the consumer raised: the error is
    kept on the row and the message waits out its backoff). Errors reaching the database
    itself propagate, so the task retries.
    """
    now = now or timezone.now()
    if not _take(message_id, now):
        return SKIPPED
    message = OutboxMessage.objects.only("topic", "payload", "attempts").get(pk=message_id)
    consumer = consumer_for(message.topic)
    try:
        if consumer is None:
            raise LookupError(f"No consumer is registered for the outbox topic {message.topic!r}.")
        consumer(message.payload)
    except Exception as error:
        wait = backoff(message.attempts)
        log.exception(
            "Outbox message %s (%s) failed on attempt %s; sent again in %s",
            message_id,
            message.topic,
            message.attempts,
            wait,
        )
        OutboxMessage.objects.filter(pk=message_id, taken_at=now).update(
            taken_at=None,
            next_attempt_at=max(now, timezone.now()) + wait,
            last_error=f"{type(error).__name__}: {error}"[:LAST_ERROR_MAX_CHARS],
        )
        return FAILED
    OutboxMessage.objects.filter(pk=message_id).update(
        delivered_at=max(now, timezone.now()), taken_at=None, last_error=""
    )
    return DELIVERED


def due_ids(*, now: datetime, limit: int = DRAIN_BATCH) -> list[int]:
    """Undelivered messages whose time to be sent (again) has come, oldest first."""
    return list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def chunks(ids: list[int], size: int = CHUNK) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]
