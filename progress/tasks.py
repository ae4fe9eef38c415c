"""Celery tasks of the target report: thin, idempotent, retried on transient errors.

Beat runs ``report_generate_monthly`` on the 1st of each month and
``report_generate_period_end`` every day (see ``seir/celery.py``); each asks
``report_request`` for a run with a schedule key, so a second beat run or a retry starts
nothing twice. ``report_generate`` carries out one run, by id.

A programme runs one report at a time, so a report someone asked for that is still under
way on the 1st keeps that month's report from starting: the monthly task then tries again
later (for the same month) rather than leave the month without its report.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from accounts.models import Programme

from .models import ReportKind
from .services import TRANSIENT_ERRORS, report_request, report_run_execute

MAX_RETRIES = 3
# A programme whose period ended up to this many days ago still gets its end-of-period
# report (a day the beat missed is caught up).
PERIOD_END_CATCH_UP_DAYS = 31
# The monthly task, finding a programme busy with another run, tries again after
# MONTHLY_RETRY_SECONDS, up to MONTHLY_MAX_RETRIES times: an hour, while a run still going
# after 30 minutes is taken for lost and replaced (services.STALE_AFTER).
MONTHLY_RETRY_SECONDS = 10 * 60
MONTHLY_MAX_RETRIES = 6


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def report_generate(self, run_id: int) -> str | None:
    """Generate the report of run ``run_id``; retry (1, 2, 4 s...) on transient errors."""
    try:
        run = report_run_execute(run_id=run_id, last_attempt=self.request.retries >= MAX_RETRIES)
    except TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    return run.status if run is not None else None


@shared_task(bind=True, max_retries=MONTHLY_MAX_RETRIES)
def report_generate_monthly(self, day: str | None = None) -> int:
    """Each programme within its period on ``day`` (ISO date; today when beat runs it)
    gets that month's report. Returns how many runs were started. A programme busy with
    another run (one someone asked for) is tried again in 10 minutes: the others' runs
    start now, and the retry starts nothing twice."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    schedule_key = f"monthly:{today:%Y-%m}"
    started = busy = 0
    for programme in Programme.objects.filter(start_date__lte=today, end_date__gte=today):
        run, created = report_request(
            actor=None,
            programme=programme,
            kind=ReportKind.MONTHLY,
            schedule_key=schedule_key,
        )
        started += created
        busy += run.schedule_key != schedule_key
    if busy:
        raise self.retry(kwargs={"day": today.isoformat()}, countdown=MONTHLY_RETRY_SECONDS)
    return started


@shared_task
def report_generate_period_end() -> int:
    """Each programme whose period has ended (in the last month) gets its end-of-period
    report, once."""
    today = timezone.localdate()
    earliest = today - datetime.timedelta(days=PERIOD_END_CATCH_UP_DAYS)
    started = 0
    for programme in Programme.objects.filter(end_date__lt=today, end_date__gte=earliest):
        _, created = report_request(
            actor=None,
            programme=programme,
            kind=ReportKind.PERIOD_END,
            schedule_key=f"period_end:{programme.end_date:%Y-%m-%d}",
        )
        started += created
    return started
