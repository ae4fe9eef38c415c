"""Demo target reports: each demo programme gets its two past monthly reports, made by
the same services as the beat's (``report_request`` + ``report_run_execute``).

Idempotent: a run is keyed by its month ("monthly:2026-10"), so seeding again makes none.
The demo cannot go back in time, so the figures are those of the seeded data; the
report is dated the 1st of its month, as the beat would have dated it.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Programme

from .models import ReportKind, ReportRun, RunStatus, TargetReport
from .services import report_request, report_run_execute

PAST_MONTHS = 2


def _first_of(months_ago: int) -> datetime.date:
    return timezone.localdate().replace(day=1) - relativedelta(months=months_ago)


def seed_demo(*, stdout=None) -> int:
    months = [_first_of(months_ago) for months_ago in range(PAST_MONTHS, 0, -1)]
    keys = [f"monthly:{month:%Y-%m}" for month in months]
    # One query finds what is already there, so seeding again costs one query.
    made_before = {
        f"has_{i}": Exists(
            ReportRun.objects.filter(programme=OuterRef("pk"), schedule_key=key).exclude(
                status=RunStatus.FAILED
            )
        )
        for i, key in enumerate(keys)
    }
    made = 0
    for programme in Programme.objects.order_by("pk").annotate(**made_before):
        for i, (month, key) in enumerate(zip(months, keys, strict=True)):
            if getattr(programme, f"has_{i}"):
                continue
            run, created = report_request(
                actor=None, programme=programme, kind=ReportKind.MONTHLY, schedule_key=key
            )
            if not created:
                continue
            # Carried out here, not by a worker: seeding must finish with the reports made.
            run = report_run_execute(run_id=run.pk)
            if run.status != RunStatus.DONE:
                continue
            dated = timezone.make_aware(datetime.datetime.combine(month, datetime.time(6)))
            # The beat would have made it on the 1st; the demo dates it so (a demo-only
            # write: reports are otherwise never changed).
            TargetReport.objects.filter(pk=run.report_id).update(generated_at=dated)
            ReportRun.objects.filter(pk=run.pk).update(
                created_at=dated, started_at=dated, finished_at=dated, notified_at=dated
            )
            made += 1
    if stdout is not None:
        stdout.write(f"Target reports: {made} past monthly report(s) made.")
    return made
