"""The 12-month target report: a frozen snapshot per programme, and the runs that make them.

A ``TargetReport`` is written once, when its run finishes, and never changed after:
the figures (``ProgrammeFigures.as_dict()``) and the rows behind the headline figures
are copied into it, so a past report reads the same whatever happens to the data.
A ``ReportRun`` records each attempt (queued, running, done, failed with its message);
a failed or repeated run never touches an earlier report. At most one run per
programme is queued or running at a time (a partial unique constraint), so two clicks on
"generate" start one run.

Snapshots hold no personal data from scouting (people, their contact details, notes):
the scouting figures are aggregates by sector and meeting type, and the rows are
ventures, stage moves, checklist items and contracts. So erasing a scouting person
(``scouting.services.privacy.person_erase``) has nothing to reach in a snapshot; the
tests prove it (``progress/tests/test_reports.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.models import Programme


class ReportKind(models.TextChoices):
    ON_DEMAND = "on_demand", "On demand"
    MONTHLY = "monthly", "Monthly"
    PERIOD_END = "period_end", "End of the period"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


IN_PROGRESS = (RunStatus.QUEUED, RunStatus.RUNNING)


class TargetReport(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    generated_at = models.DateTimeField()
    # ProgrammeFigures.as_dict(): JSON-safe, frozen.
    figures = models.JSONField()
    # The rows behind the headline figures: {code: {"title", "header", "rows"}}.
    rows = models.JSONField(default=dict)
    generation_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["programme", "-generated_at"])]

    def __str__(self):
        return f"{self.programme} target report, {self.generated_at:%d %b %Y %H:%M}"

    def save(self, *args, **kwargs):
        # A snapshot is written once; a past report never changes.
        if not self._state.adding:
            raise ValidationError("A generated report cannot be changed.")
        super().save(*args, **kwargs)


class ReportRun(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="report_runs")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Scheduled runs carry "monthly:2026-11" or "period_end", so a second beat run (or a
    # retry) for the same month starts nothing; on-demand runs leave it empty.
    schedule_key = models.CharField(max_length=40, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    step = models.CharField(max_length=120, blank=True, default="")
    percent = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    report = models.OneToOneField(
        TargetReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="run"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status__in=["queued", "running"]),
                name="one_report_run_in_progress_per_programme",
                violation_error_message="A report is already being generated for this programme.",
            ),
            models.UniqueConstraint(
                fields=["programme", "schedule_key"],
                condition=~Q(schedule_key="") & ~Q(status="failed"),
                name="one_scheduled_report_run_per_key",
            ),
        ]

    def __str__(self):
        return f"{self.programme} report run {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def is_ready(self) -> bool:
        return self.status == RunStatus.DONE and self.report_id is not None

    @property
    def is_failed(self) -> bool:
        return self.status == RunStatus.FAILED
