"""Work to do after a change, written in the change's own transaction (the outbox)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """One piece of work for a consumer of ``topic`` (``outbox.registry``).

    Written in the same transaction as the change that calls for it, so it exists exactly
    when the change does. The task ``outbox.deliver`` runs the consumer and only then sets
    ``delivered_at``; ``outbox.drain`` sends again whatever is still undelivered at
    ``next_attempt_at`` (never sent because the broker was down, taken by a worker that
    died, or failed and waiting out its backoff).
    """

    topic = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    # An idempotency key: a second message with the same key is never written.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Runs started (a run that died counts too).
    attempts = models.PositiveIntegerField(default=0)
    # When the drain sends it (again) if it is still undelivered by then.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a worker last started it (cleared when that run ends, delivered or failed).
    taken_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Only undelivered rows: the drain's and /healthz's reads stay small however
            # many rows have been delivered.
            models.Index(
                fields=["created_at"],
                condition=Q(delivered_at__isnull=True),
                name="outbox_undelivered",
            ),
        ]

    def __str__(self):
        return f"{self.topic} #{self.pk}"
