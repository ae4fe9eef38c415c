"""Reads of the outbox (for /healthz)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from .models import OutboxMessage


def outbox_oldest_undelivered_age(*, now: datetime | None = None) -> timedelta | None:
    """How long the oldest undelivered message has waited, or None when all are delivered
    (one query on the partial index of undelivered rows)."""
    oldest = OutboxMessage.objects.filter(delivered_at__isnull=True).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    if oldest is None:
        return None
    return max((now or timezone.now()) - oldest, timedelta(0))
