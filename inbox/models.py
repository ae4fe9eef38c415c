"""Who has read what: one row per person and thing, for any app's things.

A later notification (the feedback on a plan, a reply, a returned checklist item) asks
"has this person read it?" here rather than keeping its own flag.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Read(models.Model):
    """``user`` has read the thing (``content_type``, ``object_id``), first at ``read_at``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    thing = GenericForeignKey("content_type", "object_id")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            # Also the index the selector walks: (user, type) then the ids asked about.
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="inbox_read_once"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.content_type_id}:{self.object_id}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me at once"
    DIGEST = "digest", "Email me once a day (daily digest)"
    OFF = "off", "No email (the inbox only)"


class Notification(models.Model):
    """``user`` is told of ``event`` (written by the fan-out in the worker, once: the
    unique constraint makes a second delivery of the same event harmless).

    ``read_at``: opened or marked read; ``emailed_at``: sent by email, at once or in the
    day's digest (never twice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    # Where the notification leads, worked out when it was written (the event's rule).
    link = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="inbox_notify_once"),
        ]
        indexes = [
            # The bell's count and the inbox page: a person's unread, newest first.
            models.Index(fields=["user", "read_at", "-created_at"], name="inbox_notify_user"),
        ]

    def __str__(self):
        return f"{self.user_id} told of event {self.event_id}"


class NotificationPreference(models.Model):
    """How ``user`` wants email of events of ``kind`` (no row: their role's default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=80)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="inbox_preference_once"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} {self.delivery}"


class DigestSent(models.Model):
    """The day's digest went to ``user`` (one a day: the unique constraint is the claim)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="inbox_digest_daily")]

    def __str__(self):
        return f"digest to {self.user_id} on {self.day}"
