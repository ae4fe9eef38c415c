"""Writing outbox messages, in the caller's transaction.

The outbox is infrastructure below every app: its writes record no event (the change
that calls for the work records its own), and it imports only Django and Celery.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .delivery import RESEND_AFTER
from .models import OutboxMessage
from .tasks import publish


def outbox_put(
    *, topic: str, payload: dict[str, Any], key: str | None = None
) -> OutboxMessage | None:
    """Write a message for ``topic``'s consumer in the caller's transaction (ONE INSERT
    when ``key`` is None), and send it to the worker once that transaction commits.

    Rolled back with the caller's change, so the work exists exactly when the change
    does. If the broker is unreachable at commit the send fails quietly (logged) and
    ``outbox.drain`` sends it within ``RESEND_AFTER``. With a ``key`` (an idempotency
    key), a message with that key already written makes this a no-op: returns None and
    sends nothing.
    """
    now = timezone.now()
    message = OutboxMessage(
        topic=topic, payload=payload, key=key, created_at=now, next_attempt_at=now + RESEND_AFTER
    )
    if key is None:
        message.save(force_insert=True)
    else:
        try:
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            return None
    transaction.on_commit(partial(publish, [message.pk]), robust=True)
    return message


def outbox_put_many(*, topic: str, payloads: list[dict[str, Any]]) -> list[OutboxMessage]:
    """``outbox_put`` for many messages without keys: one bulk INSERT, and after commit
    one task per ``CHUNK`` messages instead of one per message."""
    if not payloads:
        return []
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                topic=topic, payload=payload, created_at=now, next_attempt_at=now + RESEND_AFTER
            )
            for payload in payloads
        ]
    )
    ids = [message.pk for message in messages if message.pk is not None]
    transaction.on_commit(partial(publish, ids), robust=True)
    return messages
