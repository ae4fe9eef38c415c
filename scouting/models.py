"""Scouting: organisations and people met, meetings, ideas, talent and follow-ups.

Every row belongs to a programme: a SEiR sees and changes only their programmes' data.
Writes go through ``scouting.services``; reads through ``scouting.selectors``.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from accounts.models import Programme
from seir.transitions import Transitions


class Sector(models.TextChoices):
    """Fixed by the issue (the funnel and the manager dashboard report by these)."""

    PCT = "pct", "PCT / commissioner"
    GP_PRACTICE = "gp_practice", "GP practice"
    HOSPITAL_TRUST = "hospital_trust", "Hospital trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    THIRD_SECTOR = "third_sector", "Third sector / voluntary"
    COMMUNITY_GROUP = "community_group", "Community group"
    PRIVATE = "private", "Private"
    OTHER = "other", "Other"


class MeetingType(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    EVENT = "event", "Event"
    WORKSHOP = "workshop", "Workshop"
    VISIT = "visit", "Clinic or service visit"
    NETWORK = "network", "Network meeting"


class IdeaStatus(models.TextChoices):
    NEW = "new", "New"
    EXPLORING = "exploring", "Exploring"
    PROMOTED = "promoted", "Promoted to a venture"
    PARKED = "parked", "Parked"
    REJECTED = "rejected", "Rejected"


# The idea lifecycle as data: status -> statuses it may move to by a status change.
# "promoted" is reached only through ``idea_promote`` (which creates the venture).
IDEA_TRANSITIONS = Transitions(
    {
        IdeaStatus.NEW: (IdeaStatus.EXPLORING, IdeaStatus.PARKED, IdeaStatus.REJECTED),
        IdeaStatus.EXPLORING: (IdeaStatus.NEW, IdeaStatus.PARKED, IdeaStatus.REJECTED),
        IdeaStatus.PARKED: (IdeaStatus.EXPLORING, IdeaStatus.REJECTED),
        IdeaStatus.REJECTED: (IdeaStatus.EXPLORING,),
        IdeaStatus.PROMOTED: (),
    },
    labels=IdeaStatus,
)
IDEA_STATUSES_PROMOTABLE = frozenset({IdeaStatus.NEW, IdeaStatus.EXPLORING, IdeaStatus.PARKED})
IDEA_STATUSES_NEEDING_REASON = frozenset({IdeaStatus.REJECTED, IdeaStatus.PARKED})

TEXT_LIMIT = 20_000


def long_text(verbose_name=None, **kwargs):
    return models.TextField(
        verbose_name, blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)], **kwargs
    )


class Tag(models.Model):
    """Reference data: clinician, potential entrepreneur, ... (editable in the admin)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_organisations"
    )
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER)
    area = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["programme", "name"], name="scout_org_prog_name"),
            models.Index(fields=["programme", "sector"], name="scout_org_prog_sector"),
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_people"
    )
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = long_text()
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    consent_to_contact = models.BooleanField("consents to be contacted", default=False)
    consent_date = models.DateField("date consent given", null=True, blank=True)
    is_erased = models.BooleanField(default=False)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["programme", "name"], name="scout_person_prog_name"),
            models.Index(fields=["programme", "email"], name="scout_person_prog_email"),
            models.Index(fields=["organisation", "name"], name="scout_person_org_name"),
        ]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_meetings"
    )
    held_at = models.DateTimeField("date and time")
    meeting_type = models.CharField(
        "type", max_length=20, choices=MeetingType.choices, default=MeetingType.ONE_TO_ONE
    )
    location = models.CharField(max_length=200, blank=True)
    notes = long_text()
    attendees = models.ManyToManyField(Person, blank=True, related_name="meetings")
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="meetings", verbose_name="organisations represented"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last saved: an edit form shown before refuses to save over a change.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["programme", "-held_at", "-id"], name="scout_meet_prog_at")]

    def __str__(self):
        return f"{self.get_meeting_type_display()} on {self.held_at:%d %b %Y}" + (
            f" at {self.location}" if self.location else ""
        )


class TalentNote(models.Model):
    """Talent spotted at a meeting: a person, with a note."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="talent")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="talent_notes")
    note = long_text()

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self):
        return f"Talent: {self.person}"


class FollowUp(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_followups"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    what = models.CharField(max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scouting_followups",
        verbose_name="who",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name="with",
    )
    due = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due", "id"]
        indexes = [models.Index(fields=["assignee", "done", "due"], name="scout_fu_assignee")]

    def __str__(self):
        return self.what


class Idea(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_ideas"
    )
    title = models.CharField(max_length=200)
    description = long_text()
    health_need = long_text("health need addressed")
    status = models.CharField(max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    status_reason = long_text()
    source_meetings = models.ManyToManyField(Meeting, blank=True, related_name="ideas")
    proposers = models.ManyToManyField(Person, blank=True, related_name="ideas")
    # The venture the idea became (scouting knows ventures; ventures never imports scouting).
    venture = models.OneToOneField(
        "ventures.Venture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scouting_idea",
    )
    promoted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "status"], name="scout_idea_prog_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="promoted") | Q(promoted_at__isnull=False),
                name="scout_promoted_idea_has_date",
            )
        ]

    def __str__(self):
        return self.title


class MeetingDraft(models.Model):
    """What the SEiR has typed into the meeting form so far, saved as they type.

    One per user: it survives a dropped connection or an expired session and is offered
    back on the next visit to the form, until the meeting is saved or the draft discarded.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scouting_draft"
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Meeting draft of {self.user}"


class MergeKind(models.TextChoices):
    PERSON = "person", "People"
    ORGANISATION = "organisation", "Organisations"


class MergeRecord(models.Model):
    """What a merge did, so it can be explained later: which record stayed and which went,
    the value that won each field and the record it came from, and the links that moved.

    Ids, not foreign keys: the removed record no longer exists, and the kept one may later
    be merged or erased itself (erasure blanks the values held here too).
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_merges"
    )
    kind = models.CharField(max_length=12, choices=MergeKind.choices)
    kept_id = models.PositiveBigIntegerField()
    kept_name = models.CharField(max_length=200)
    removed_id = models.PositiveBigIntegerField()
    removed_name = models.CharField(max_length=200)
    # field -> {"value": the value kept (as shown), "from": "kept" | "removed" | "both"}
    fields = models.JSONField(default=dict)
    # The removed record's values as they were, and the kept record's before the merge.
    removed_values = models.JSONField(default=dict)
    kept_values = models.JSONField(default=dict)
    # link -> how many rows moved over (meetings, ideas, talent notes, people, ...)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField()

    class Meta:
        ordering = ["-merged_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "kept_id"], name="scout_merge_kept"),
            models.Index(fields=["kind", "removed_id"], name="scout_merge_removed"),
        ]

    def __str__(self):
        return f"{self.removed_name} merged into {self.kept_name}"

    def moved_text(self) -> str:
        """What moved over, e.g. "2 meetings, 1 talent notes" (or "nothing")."""
        moved = [f"{n} {k.replace('_', ' ')}" for k, n in self.moved.items() if n]
        return ", ".join(moved) or "nothing"

    def explained(self) -> list[tuple[str, str, str, str]]:
        """(field, value kept, where it came from, what the other record had) per field."""
        rows = []
        for name, chosen in self.fields.items():
            source = chosen.get("from")
            other = (self.kept_values if source == "removed" else self.removed_values).get(name)
            where = {"removed": f"Record {self.removed_id}", "both": "Both records"}.get(
                source, "This record"
            )
            rows.append(
                (name.replace("_", " ").capitalize(), chosen.get("value", ""), where, other)
            )
        return rows


class NotDuplicate(models.Model):
    """Two records someone checked and found to be different: no longer listed as
    possible duplicates. ``first_id`` is the smaller id, so each pair is stored once."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="scouting_not_duplicates"
    )
    kind = models.CharField(max_length=12, choices=MergeKind.choices)
    first_id = models.PositiveBigIntegerField()
    second_id = models.PositiveBigIntegerField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first_id", "second_id"], name="scout_not_duplicate_once"
            ),
            models.CheckConstraint(
                condition=Q(first_id__lt=models.F("second_id")), name="scout_not_duplicate_order"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.first_id} is not {self.second_id}"


from .tally_models import ANY_TYPE, EVERY_MEETING, IdeaSource, MeetingTally  # noqa: E402, F401  (summary rows)
