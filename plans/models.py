"""Business plans: templates (reference data), a working draft per venture, and the
numbered, immutable versions the team submits for the SEiR's feedback."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.safestring import SafeString, mark_safe

from seir.markdown import render_markdown
from seir.transitions import Move, Transitions
from ventures.models import Stage, Venture

# Long enough for a real plan section (about 30,000 words); a bigger paste gets a form
# error, never a database error.
SECTION_MAX_CHARS = 200_000
COMMENT_MAX_CHARS = 10_000


class PlanTemplate(models.Model):
    """Reference data: the sections a business plan has (editable in the admin)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(
        default=False, help_text="New plans start from the default template."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_plan_template",
            )
        ]

    def __str__(self):
        return self.name


class PlanTemplateSection(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=150)
    guidance = models.TextField(blank=True, help_text="What to write here (shown to the team).")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="unique_plan_section_code"),
            models.UniqueConstraint(fields=["template", "order"], name="unique_plan_section_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class PlanStatus(models.TextChoices):
    """The plan's state: its draft before any submission, then its latest version's."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    FEEDBACK_GIVEN = "feedback_given", "Feedback given"
    APPROVED = "approved", "Approved"


class PlanAction(models.TextChoices):
    SUBMIT = "submit", "Submit a version"
    GIVE_FEEDBACK = "give_feedback", "Mark feedback given"
    APPROVE = "approve", "Approve"


@dataclass(frozen=True)
class PlanMove(Move):
    """A move of the plan's state, with the action (``PlanAction``) that makes it."""

    action: str = ""


_SUBMIT = PlanMove(PlanStatus.SUBMITTED, action=PlanAction.SUBMIT)
_GIVE_FEEDBACK = PlanMove(PlanStatus.FEEDBACK_GIVEN, action=PlanAction.GIVE_FEEDBACK)
_APPROVE = PlanMove(PlanStatus.APPROVED, action=PlanAction.APPROVE)

# The state machine as data: state -> the moves out of it, each with its action.
# A new version may be submitted from the draft or once the SEiR has answered the last
# one; the SEiR answers a submitted version with feedback or approval, and may still
# approve after giving feedback. ``plans.services`` is the only code that applies it.
PLAN_TRANSITIONS = Transitions(
    {
        PlanStatus.DRAFT: (_SUBMIT,),
        PlanStatus.SUBMITTED: (_GIVE_FEEDBACK, _APPROVE),
        PlanStatus.FEEDBACK_GIVEN: (_SUBMIT, _APPROVE),
        PlanStatus.APPROVED: (_SUBMIT,),
    },
    labels=PlanStatus,
)
# Versions can take these states (a version is never a draft).
VERSION_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.FEEDBACK_GIVEN, PlanStatus.APPROVED)


class BusinessPlan(models.Model):
    """A venture's business plan: its working draft and its submitted versions."""

    venture = models.OneToOneField(Venture, on_delete=models.CASCADE, related_name="business_plan")
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Bumped by every draft save: a submission names the draft it was looking at.
    draft_revision = models.PositiveIntegerField(default=0)
    latest_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Business plan of {self.venture}"


class RenderedMarkdown(models.Model):
    """A ``body`` written in Markdown, kept with ``body_html``: its sanitised HTML
    (``seir.markdown.render_markdown``), written whenever the body is saved, so a page
    shows it without converting it on every visit (the plan tab drew a dozen each time).
    It is derived: every save of ``body`` writes it (``save``), nothing else may. A
    change to what ``render_markdown`` writes needs a data migration that renders the
    stored bodies again, as ``plans.0005`` did when the column was added."""

    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or "body" in update_fields:
            self.render_body()
            if update_fields is not None:
                update_fields = {*update_fields, "body_html"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def render_body(self) -> None:
        """Render ``body`` into ``body_html`` (every save of the body does)."""
        self.body_html = str(render_markdown(self.body))

    @property
    def html(self) -> SafeString:
        """The body as the page shows it: sanitised when it was saved."""
        return mark_safe(self.body_html)  # noqa: S308 - render_markdown's sanitised output


class DraftSection(RenderedMarkdown):
    """One section of the working draft, in Markdown. ``version`` is its optimistic lock."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="draft_sections")
    section = models.ForeignKey(PlanTemplateSection, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True, max_length=SECTION_MAX_CHARS)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "section__order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "section"], name="unique_draft_section")
        ]

    def __str__(self):
        return f"{self.plan}: {self.section.title}"


class ImmutableError(ValidationError):
    pass


class _Immutable(models.Model):
    """A row that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("A submitted business plan version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A submitted business plan version cannot be deleted.")


class PlanVersion(_Immutable):
    """A submitted snapshot of the whole plan, numbered 1, 2, 3... per plan. Immutable:
    its review state lives in ``PlanReview``."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # The venture's stage when it was submitted (a gate may ask for approval at a stage).
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    note = models.TextField(blank=True, max_length=COMMENT_MAX_CHARS)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number")
        ]

    def __str__(self):
        return f"Business plan version {self.number}"


class PlanVersionSection(_Immutable):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_version_section")
        ]

    def __str__(self):
        return f"{self.version}: {self.title}"


class PlanReview(models.Model):
    """The review state of one version (submitted / feedback given / approved)."""

    version = models.OneToOneField(PlanVersion, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        max_length=20,
        choices=[(s.value, s.label) for s in VERSION_STATUSES],
        default=PlanStatus.SUBMITTED,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.version}: {self.get_status_display()}"


class PlanComment(RenderedMarkdown):
    """The SEiR's feedback on one section of one version ('' = the plan as a whole)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    section_code = models.SlugField(max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "created_at", "id"]
        indexes = [models.Index(fields=["version", "section_code"])]

    def __str__(self):
        return f"Feedback on {self.version} ({self.section_code or 'whole plan'})"


class PlanCommentReply(RenderedMarkdown):
    """The venture team's (or the programme staff's) answer to one feedback comment,
    shown threaded under it."""

    comment = models.ForeignKey(PlanComment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["comment", "created_at", "id"]

    def __str__(self):
        return f"Reply to {self.comment}"
