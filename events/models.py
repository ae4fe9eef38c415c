import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from accounts.models import Programme

# A change saved through a form takes a moment after the thing it records: below this,
# "recorded at" would only repeat "happened at".
RECORDED_APART = datetime.timedelta(minutes=1)


class EventVisibility(models.TextChoices):
    # Everyone who may read the venture or programme: its team, managers, staff.
    TEAM = "team", "Team and programme"
    # Programme staff (the SEiR and administrators) only, e.g. SEiR-only notes.
    STAFF = "staff", "SEiR and administrators only"


class Event(models.Model):
    """One thing that happened. Written by ``event_record`` only, never edited.

    ``at`` is when it happened (a meeting held yesterday, an introduction step dated
    12 July), which the feeds sort and filter by; ``recorded_at`` is when it was written
    down here. Where only the day is known, ``at_is_day`` says so and ``at`` is a moment
    on that day (``events.services.moment_of``), shown as the day alone.
    """

    at = models.DateTimeField("happened at")
    at_is_day = models.BooleanField("only the day is known", default=False)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    kind = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    # The venture the event concerns, by id: events sits below ventures, and an audit
    # record outlives the venture. ``venture_label`` is its name when it happened.
    venture_id = models.BigIntegerField(null=True, blank=True)
    venture_label = models.CharField(max_length=200, blank=True)
    # The object the event is about (a stage change, a note, a membership...).
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    visibility = models.CharField(
        max_length=10, choices=EventVisibility.choices, default=EventVisibility.TEAM
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["venture_id", "-at", "-id"], name="event_venture_at"),
            models.Index(fields=["programme", "-at", "-id"], name="event_programme_at"),
            models.Index(fields=["kind", "-at"], name="event_kind_at"),
            models.Index(fields=["actor", "-at"], name="event_actor_at"),
            models.Index(fields=["subject_type", "subject_id"], name="event_subject"),
        ]

    def __str__(self):
        return f"{self.kind} by {self.actor or 'system'} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def kind_info(self):
        from .registry import get_kind

        return get_kind(self.kind)

    @property
    def recorded_apart(self) -> bool:
        """Whether it was recorded at another time than it happened, worth showing: on
        another day for an event known by its day, a minute or more apart otherwise."""
        if self.at_is_day:
            return timezone.localdate(self.recorded_at) != timezone.localdate(self.at)
        return abs(self.recorded_at - self.at) >= RECORDED_APART

    @property
    def is_staff_only(self) -> bool:
        return self.visibility == EventVisibility.STAFF
