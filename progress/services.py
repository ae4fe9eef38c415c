"""Writes of the target report: ask for a run, carry it out, record its failure.

``report_request`` starts at most one run per programme at a time (the partial unique
constraint on ``ReportRun``; a second click gets the run already under way) and hands it
to Celery after commit. ``report_run_execute`` is what the task calls: it computes the
figures and the rows behind them, then writes the snapshot and marks the run done in one
transaction, so a run that fails half way leaves no report and touches no earlier one.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from accounts.models import Programme, User
from events.services import event_record
from outbox.services import outbox_put
from seir.refusals import Refused

from .models import IN_PROGRESS, ReportKind, ReportRun, RunStatus, TargetReport
from .notify import REPORT_READY_TOPIC
from .periods import programme_period
from .report_permissions import can_generate_report
from .selectors import programme_figures
from .snapshot import headline_rows

log = logging.getLogger(__name__)

# Errors worth trying again (a locked SQLite file, a dropped connection); anything else
# fails the run at once with its message.
TRANSIENT_ERRORS = (OperationalError,)
# A run still queued or running after this long has lost its worker.
STALE_AFTER = datetime.timedelta(minutes=30)
STALE_MESSAGE = (
    "The report was not finished within 30 minutes (its worker stopped). Earlier reports "
    "are unchanged; generate it again."
)


class ReportRefused(Refused):
    """A refusal to show the person (never a 500)."""


def _enqueue(run: ReportRun) -> None:
    from .tasks import report_generate

    report_generate.delay(run.pk)


@transaction.atomic
def report_request(
    *,
    actor: User | None,
    programme: Programme,
    kind: str = ReportKind.ON_DEMAND,
    schedule_key: str = "",
) -> tuple[ReportRun, bool]:
    """Queue a report for ``programme``. Returns (run, created): when a run is already
    queued or running for the programme, that run and False (nothing new is started).
    ``actor`` is None for scheduled runs (Celery beat)."""
    if actor is not None and not can_generate_report(actor, programme):
        raise ReportRefused("You may not generate reports for this programme.")
    # Serialise requests for one programme (a row lock on PostgreSQL); the unique
    # constraint below catches the race where locks are not available (SQLite).
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if schedule_key:
        # First: this month's (or the period's) report made or under way, whatever else
        # runs now (a report someone asked for since does not make the task try again).
        earlier = (
            ReportRun.objects.filter(programme=programme, schedule_key=schedule_key)
            .exclude(status=RunStatus.FAILED)
            .first()
        )
        if earlier is not None and not (
            earlier.status in IN_PROGRESS and earlier.created_at < timezone.now() - STALE_AFTER
        ):
            return earlier, False
    current = ReportRun.objects.filter(programme=programme, status__in=IN_PROGRESS).first()
    if current is not None and current.created_at < timezone.now() - STALE_AFTER:
        # Its worker stopped (killed, or the queue lost it): say so and start afresh.
        report_run_fail(run_id=current.pk, error=STALE_MESSAGE)
        current = None
    if current is not None:
        return current, False
    run = ReportRun(
        programme=programme,
        kind=kind,
        schedule_key=schedule_key,
        requested_by=actor,
        step="Waiting for a worker",
    )
    run.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        current = ReportRun.objects.filter(programme=programme, status__in=IN_PROGRESS).first()
        if current is None:
            raise
        return current, False
    event_record(
        actor=actor,
        kind="report.requested",
        subject=run,
        programme=programme,
        data={"run_id": run.pk, "kind": kind, "kind_label": str(ReportKind(kind).label)},
    )
    # robust: a broker that is down must not turn the saved request into an error page;
    # the run then shows as queued, and a later request replaces it once it is stale.
    transaction.on_commit(lambda: _enqueue(run), robust=True)
    return run, True


def _progress(run_id: int, *, step: str, percent: int, **fields) -> None:
    """Show how far the run has got (read by the page's polling fragment)."""
    ReportRun.objects.filter(pk=run_id).update(step=step, percent=percent, **fields)


def report_run_execute(*, run_id: int, last_attempt: bool = True) -> ReportRun | None:
    """Generate the report of run ``run_id``. Idempotent: a run already done or failed is
    left as it is (a repeated task does nothing). A transient error is raised again for
    the task to retry, unless this is the last attempt; any other error fails the run
    with a message, and no report is written."""
    with transaction.atomic():
        run = (
            ReportRun.objects.select_for_update()
            .select_related("programme")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status not in IN_PROGRESS:
            return run
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or timezone.now()
        run.step, run.percent, run.error = "Computing the figures", 10, ""
        run.save(update_fields=["status", "attempts", "started_at", "step", "percent", "error"])
    programme = run.programme
    started = time.monotonic()
    try:
        period = programme_period(programme)
        figures = programme_figures(programme=programme, period=period)
        _progress(run_id, step="Collecting the rows behind the figures", percent=50)
        # The rows of the moment the figures were counted at (the same day for "stuck",
        # "quiet" and "overdue", even when the run crosses midnight).
        rows = headline_rows(programme=programme, period=period, now=figures.computed_at)
        _progress(run_id, step="Saving the report", percent=90)
        return _report_save(run_id=run_id, figures=figures, rows=rows, started=started)
    except TRANSIENT_ERRORS as exc:
        if not last_attempt:
            _progress(run_id, step="Waiting to try again (the database was busy)", percent=0)
            raise
        log.warning("Report run %s failed after retries: %r", run_id, exc)
        return report_run_fail(
            run_id=run_id,
            error="The database was busy and the report could not be generated after "
            "several tries. Earlier reports are unchanged; try again in a few minutes.",
        )
    except Exception as exc:  # every other failure becomes the run's clear message
        log.exception("Report run %s failed", run_id)
        return report_run_fail(
            run_id=run_id,
            error=f"The report could not be generated ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Earlier reports are unchanged.",
        )


@transaction.atomic
def _report_save(*, run_id: int, figures, rows: dict, started: float) -> ReportRun:
    run = ReportRun.objects.select_for_update().select_related("programme").get(pk=run_id)
    if run.status != RunStatus.RUNNING:  # failed or finished meanwhile: keep what it says
        return run
    data = figures.as_dict()
    report = TargetReport(
        programme=run.programme,
        kind=run.kind,
        period_start=figures.period_start,
        period_end=figures.period_end,
        generated_at=figures.computed_at,
        figures=data,
        rows=rows,
        generation_ms=min(int((time.monotonic() - started) * 1000), 2**31 - 1),
    )
    report.full_clean()
    report.save()
    run.report = report
    run.status = RunStatus.DONE
    run.step, run.percent = "Done", 100
    run.finished_at = timezone.now()
    run.save(update_fields=["report", "status", "step", "percent", "finished_at"])
    event_record(
        actor=run.requested_by,
        kind="report.generated",
        subject=run,
        programme=run.programme,
        data={
            "run_id": run.pk,
            "report_id": report.pk,
            "kind": run.kind,
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "achieved": data["target"]["achieved"],
            "target": data["target"]["number"],
        },
    )
    if run.kind != ReportKind.ON_DEMAND:
        # Written with the report, in its transaction: the outbox delivers it after the
        # commit and again if the broker, the worker or the mail server fails meanwhile.
        outbox_put(
            topic=REPORT_READY_TOPIC, payload={"run_id": run.pk}, key=f"report-ready:{run.pk}"
        )
    return run


@transaction.atomic
def report_run_fail(*, run_id: int, error: str) -> ReportRun | None:
    """Mark a run failed with ``error`` (shown on the page). Earlier reports stay."""
    run = ReportRun.objects.select_for_update().select_related("programme").get(pk=run_id)
    if run.status not in IN_PROGRESS:
        return run
    run.status = RunStatus.FAILED
    run.error = error[:2000]
    run.step = "Failed"
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "step", "finished_at"])
    event_record(
        actor=run.requested_by,
        kind="report.failed",
        subject=run,
        programme=run.programme,
        data={"run_id": run.pk, "kind": run.kind, "error": run.error[:300]},
    )
    return run
