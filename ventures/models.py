from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.models import Programme
from seir.transitions import Transitions

from .list_indexes import LIST_SORT_INDEXES
from .search import SEARCHED_FIELDS, search_document


class LegalForm(models.Model):
    """Reference data: CIC, company limited by guarantee, ... (editable in the admin)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    is_incorporated = models.BooleanField(
        default=True, help_text="False for 'not yet incorporated' and similar."
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Origin(models.TextChoices):
    NHS_STAFF = "nhs_staff", "NHS staff"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    THIRD_SECTOR = "third_sector", "Third sector"
    COMMUNITY = "community", "Community"
    OTHER = "other", "Other"


class DefaultStage(models.Model):
    """The stage set each new programme starts with (reference data, seeded by a
    migration from DOMAIN.md and editable in the admin)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    exit_criteria = models.TextField(blank=True)
    # Gate conditions as data: [{"kind": ..., "label": ..., "params": {...}}, ...]
    gate = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class Stage(models.Model):
    """A programme's pipeline stage. Codes are stable identifiers; names are labels."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    exit_criteria = models.TextField(blank=True, help_text="What must be true to leave the stage.")

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_stage_code"),
            models.UniqueConstraint(fields=["programme", "order"], name="unique_stage_order"),
        ]

    def __str__(self):
        return self.name


class StageTransition(models.Model):
    """Allowed moves, as data. Leaving a stage forwards normally needs its gate."""

    from_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="transitions_out")
    to_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="transitions_in")
    requires_gate = models.BooleanField(default=True)

    class Meta:
        ordering = ["from_stage__order", "to_stage__order"]
        constraints = [
            models.UniqueConstraint(fields=["from_stage", "to_stage"], name="unique_transition"),
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="transition_changes_stage"
            ),
        ]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"


class GateCondition(models.Model):
    """One condition of a stage's gate: what must hold to leave the stage.

    ``kind`` names a registered evaluator (ventures.gates); later apps register more kinds
    (checklist items accepted, business plan approved, contract won) without migrations.
    """

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="gate_conditions")
    kind = models.SlugField(max_length=60, default="confirmed")
    label = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage", "order", "id"]

    def __str__(self):
        return self.label


class VentureStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


# Status machine as data: status -> statuses it may move to.
STATUS_TRANSITIONS = Transitions(
    {
        VentureStatus.ACTIVE: (VentureStatus.PAUSED, VentureStatus.CLOSED),
        VentureStatus.PAUSED: (VentureStatus.ACTIVE, VentureStatus.CLOSED),
        VentureStatus.CLOSED: (VentureStatus.ACTIVE,),
    },
    labels=VentureStatus,
)
# The statuses in which a venture's dates are live: its checklist items' due dates and
# expiries, funding deadlines, agreed meeting dates and waiting introductions are
# reminded and listed in calendar feeds. Paused and closed are both terminal (nothing is
# due on them); their dates come back, unchanged, when the venture is resumed or reopened.
# The calendar feed and the reminders both read this one rule.
DATES_LIVE_STATUSES = frozenset({VentureStatus.ACTIVE})
# Moving into these statuses needs a written reason.
STATUSES_NEEDING_REASON = frozenset({VentureStatus.CLOSED, VentureStatus.PAUSED})


class Venture(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ventures")
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    need = models.TextField("need or problem addressed", blank=True)
    beneficiaries = models.TextField(blank=True)
    area = models.CharField(
        max_length=200, blank=True, help_text="Where it works, e.g. Balsall Heath."
    )
    legal_form = models.ForeignKey(LegalForm, on_delete=models.PROTECT, null=True, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.COMMUNITY)
    is_spinout = models.BooleanField(
        "NHS staff spin-out", default=False, help_text="A service spun out of the NHS by its staff."
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_ventures",
        verbose_name="lead entrepreneur",
    )
    seir = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_ventures",
        verbose_name="owning SEiR",
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="ventures")
    status = models.CharField(
        max_length=10, choices=VentureStatus.choices, default=VentureStatus.ACTIVE
    )
    status_reason = models.TextField(blank=True)
    # Optimistic locking for profile edits: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Time of its latest StageChange, kept by venture_create, venture_move and the bulk
    # import (so lists, the board and sorting by time in stage need no subquery per row).
    stage_entered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The searched fields folded to lower case without accents (ventures.search).
    search_text = models.TextField(blank=True, default="", editable=False)
    # When any app's latest event happened (ventures.handlers, after commit): "last activity".
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Its first entry into the programme's target stage or a later one (by stage order),
    # from its stage history; kept by every stage change, a programme's change of target
    # stage and a change of stage order (ventures.targets), in the writing transaction.
    target_reached_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The highest order of the stages it has ever been in, from its stage history; kept
    # with ``target_reached_at`` by the same writes (ventures.targets). The dashboard's
    # "reached this stage or a later one" counts it.
    furthest_stage_order = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The list's filters: their capped counts (and the stage-sorted list's count
            # of each stage) read this index alone rather than the table's wide rows
            # (docs/performance.md §33).
            models.Index(
                fields=["programme", "stage", "status", "origin", "seir", "id"],
                name="venture_filters_idx",
            ),
            # The paused and closed ventures alone: a list filtered to either status,
            # and the forecast's stalled ventures, read these few entries rather than
            # every active venture's (docs/performance.md §35). Active ventures' writes
            # never touch it.
            models.Index(
                fields=["programme", "status", "stage", "id"],
                condition=~Q(status=VentureStatus.ACTIVE),
                name="venture_inactive_idx",
            ),
            # One per sort of the list, and a board column's (ventures.list_indexes).
            *LIST_SORT_INDEXES,
            # The ventures counting towards a programme's target in a period.
            models.Index(fields=["programme", "target_reached_at"], name="venture_target_reached"),
            # The programme's figures (progress.selectors, commissioning's ledger and
            # pipeline): every column they read of a programme's ventures, so PostgreSQL
            # answers them from the index alone instead of the table's wide rows
            # (docs/performance.md §19).
            models.Index(
                fields=[
                    "programme",
                    "seir",
                    "status",
                    "stage",
                    "stage_entered_at",
                    "last_activity_at",
                    "created_at",
                    "target_reached_at",
                    "furthest_stage_order",
                    "id",
                ],
                name="venture_figures_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # search_text follows the searched fields wherever they are saved from.
        self.search_text = search_document(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # For display (badges); what a status allows is decided in ventures.permissions.
    @property
    def is_paused(self) -> bool:
        return self.status == VentureStatus.PAUSED

    @property
    def is_inactive(self) -> bool:
        return self.status != VentureStatus.ACTIVE

    def clean(self):
        super().clean()
        # No composite foreign key in Django: services full_clean(); the admin uses them.
        if (
            self.stage_id is not None
            and self.programme_id is not None
            and self.stage.programme_id != self.programme_id
        ):
            raise ValidationError({"stage": "That stage belongs to another programme."})


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead entrepreneur"
    CO_FOUNDER = "co_founder", "Co-founder"
    MEMBER = "member", "Team member"
    ADVISER = "adviser", "Adviser"


class TeamMembership(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venture_teams"
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["venture", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["venture", "user"], name="unique_team_member"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) — {self.venture}"


class StageChange(models.Model):
    """History of stage moves. Time in stage is derived from these rows only."""

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    # Labels of the gate conditions that were unmet when an override let the move through.
    unmet_conditions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        get_latest_by = "changed_at"
        indexes = [models.Index(fields=["venture", "changed_at"])]

    def __str__(self):
        return f"{self.venture}: {self.from_stage} → {self.to_stage}"

    @property
    def was_overridden(self) -> bool:
        return bool(self.override_reason)


class FieldChange(models.Model):
    """One field of one profile edit: who, when, old -> new. Revertible by staff."""

    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="field_changes")
    field = models.CharField(max_length=60)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    old_display = models.TextField(blank=True)
    new_display = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(db_index=True)
    reverts = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reverted_by"
    )
    # The venture version this change produced (tells an edit conflict what changed since).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["venture", "changed_at"])]

    def __str__(self):
        return f"{self.venture}.{self.field}: {self.old_display!r} → {self.new_display!r}"

    @property
    def field_label(self) -> str:
        return str(Venture._meta.get_field(self.field).verbose_name).capitalize()


class NoteVisibility(models.TextChoices):
    TEAM = "team", "Shared with the venture team"
    STAFF = "staff", "SEiR only"


class VentureNote(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Note on {self.venture} by {self.author}"


# The SEiR's confirmations of gate conditions, and the forecast's day rows, live beside
# the models they summarise.
from .confirmation_models import GateConfirmation, GateConfirmationQuerySet  # noqa: E402, F401
from .stage_day_models import StageDay  # noqa: E402, F401
