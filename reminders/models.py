"""Reminders sent (one row per reminder, under a unique idempotency key) and each
person's calendar feed link (only a hash of its secret is stored)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReminderKind(models.TextChoices):
    ITEM_DUE = "item_due", "Checklist item due"
    ITEM_OVERDUE = "item_overdue", "Checklist item overdue"
    FOLLOWUP_DUE = "followup_due", "Follow-up due"
    FOLLOWUP_OVERDUE = "followup_overdue", "Follow-up overdue"
    EVIDENCE_EXPIRING = "evidence_expiring", "Evidence expiring"
    FUNDING_DEADLINE = "funding_deadline", "Funding deadline"
    INTRODUCTION_WAITING = "introduction_waiting", "Introduction awaiting an answer"
    QUIET_VENTURE = "quiet_venture", "Quiet venture"
    DIGEST = "digest", "Weekly digest"


class Reminder(models.Model):
    """One reminder to one person about one thing in one state.

    ``key`` names the thing, its state and the date that state is about (an item's due
    date, evidence's expiry day, a venture's last activity), so a retried task, a
    duplicated beat tick or a second worker inserting the same reminder hits the unique
    constraint and sends nothing; a changed date is a new reminder. ``run`` names the
    run that won the row: its email lists exactly that run's rows for the person.
    ``emailed_at``: when its email was dealt with, sent or withheld because the person
    could no longer see what it is about when it went (either way never tried again).
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    # What the reminder is about, so access is read again when its email goes
    # (``reminders.permissions``): its venture, and its programme (a follow-up and the
    # weekly digest have a programme only). Empty on rows written before they were kept.
    venture = models.ForeignKey(
        "ventures.Venture", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    programme = models.ForeignKey(
        "accounts.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    run = models.UUIDField()
    created_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "kind", "id"]
        indexes = [models.Index(fields=["run", "recipient"], name="reminder_run_recipient")]

    def __str__(self):
        return self.text


class CalendarFeed(models.Model):
    """A person's secret calendar link. The secret is shown once; only its SHA-256 is
    kept, so a database reader cannot open anyone's feed. Revoked links stay as a record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_user",
            ),
        ]

    def __str__(self):
        return f"Calendar link of {self.user} ({'off' if self.revoked_at else 'on'})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
