"""Due-diligence checklists: templates (reference data) and each venture's checklist.

A venture's items are copies of template items, so editing a template never changes a
checklist already given. Item status is a state machine in data (``status.py``); every
change is kept as its event (``selectors.item_history`` reads them), evidence rows are
never deleted, only superseded, and a dropped item is marked removed, not deleted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ventures.models import Venture


class ChecklistTemplate(models.Model):
    """Reference data: a named checklist (the default is DOMAIN.md's)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="unique_template_section"),
        ]

    def __str__(self):
        return self.name


class TemplateItem(models.Model):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(max_length=200)
    code = models.SlugField(
        max_length=60,
        blank=True,
        help_text="Stable code a stage gate condition names to be met by this item "
        "(e.g. cqc-registration); blank if no gate names it.",
    )
    guidance = models.TextField(blank=True, help_text="What good evidence looks like.")
    order = models.PositiveSmallIntegerField(default=0)
    stage_code = models.SlugField(
        max_length=40,
        blank=True,
        help_text="Code of the stage whose gate needs this item (e.g. pilot); blank if none.",
    )
    spinout_only = models.BooleanField(
        "NHS staff spin-outs only",
        default=False,
        help_text="Only for services spun out of the NHS by their staff (TUPE, pensions...).",
    )
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Accepted evidence expires after this many months (insurance, registrations).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["section__order", "order", "id"]

    def __str__(self):
        return self.label

    def new_item(self, **fields) -> ChecklistItem:
        """An unsaved checklist item copied from this template item (its section must be
        loaded); ``fields`` gives the checklist and anything else the caller sets."""
        return ChecklistItem(
            template_item=self,
            section=self.section.name,
            section_order=self.section.order,
            label=self.label,
            code=self.code,
            guidance=self.guidance,
            order=self.order,
            stage_code=self.stage_code,
            validity_months=self.validity_months,
            **fields,
        )


class Checklist(models.Model):
    """A venture's due-diligence checklist (at most one per venture)."""

    venture = models.OneToOneField(Venture, on_delete=models.CASCADE, related_name="checklist")
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    def __str__(self):
        return f"Due diligence for {self.venture}"


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted for review"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    EXPIRED = "expired", "Expired"


# Statuses that count as done for progress and for the stage gate.
DONE_STATUSES = frozenset({ItemStatus.ACCEPTED, ItemStatus.NOT_APPLICABLE})


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    template_item = models.ForeignKey(
        TemplateItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    section = models.CharField(max_length=120)
    section_order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    # The template item's code, copied: the gate conditions that restate this item name it.
    code = models.SlugField(max_length=60, blank=True)
    guidance = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    stage_code = models.SlugField(max_length=40, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_items",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    # The reason for "not applicable" or the reviewer's comment on a return.
    status_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="Accepted evidence is valid up to and including this day."
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["section_order", "section", "order", "id"]
        indexes = [
            models.Index(fields=["checklist", "stage_code", "status"], name="checklist_item_gate"),
            models.Index(
                fields=["status", "expires_on"],
                name="checklist_item_expiry",
                condition=Q(status="accepted"),
            ),
            models.Index(fields=["due_date", "status"], name="checklist_item_due"),
            models.Index(
                fields=["checklist", "code"], name="checklist_item_code", condition=~Q(code="")
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and not self.is_done
            and self.status != ItemStatus.SUBMITTED
        )


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


class Evidence(models.Model):
    """An uploaded file or a link backing an item. Never deleted: a replacement marks the
    old row superseded, so the item keeps its whole history."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    # Stored under a random name through the default storage; never served by URL.
    file = models.FileField(max_length=255, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    superseded_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="evidence_has_file_or_link",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.original_name if self.kind == EvidenceKind.FILE else (self.title or self.url)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class ItemDay(models.Model):
    """Checklist items per programme and day, kept by every write in the same
    transaction (``checklists.tallies``), so the dashboard counts overdue and expiring
    items by summing a few hundred rows instead of reading every item. ``open_due``: the
    items not removed, not done and not awaiting review whose due date is ``day``;
    ``accepted_expiring``: the accepted items not removed whose evidence runs out on
    ``day``. Overdue, due this week or expiring soon are then sums over a range of days."""

    programme = models.ForeignKey("accounts.Programme", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    open_due = models.PositiveIntegerField(default=0)
    accepted_expiring = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "day"], name="checklist_item_day_once")
        ]

    def __str__(self):
        return f"{self.day}: {self.open_due} due, {self.accepted_expiring} expiring"
