"""The monthly target report is made even when someone's own report is under way on the
1st: one run per programme at a time still holds, and the monthly task tries again."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from progress import services, tasks
from progress.models import ReportKind, ReportRun, RunStatus, TargetReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def retries(monkeypatch) -> list[dict]:
    """What the monthly task asked Celery to retry with (it still raises ``Retry``)."""
    asked: list[dict] = []
    real = tasks.report_generate_monthly.retry

    def spy(**options):
        asked.append(options)
        return real(**options)

    monkeypatch.setattr(tasks.report_generate_monthly, "retry", spy)
    return asked


def an_on_demand_run_under_way(programme, manager) -> ReportRun:
    # Its after-commit hand-over to the worker does not run here: the run stays queued.
    run, created = services.report_request(actor=manager, programme=programme)
    assert created and run.status == RunStatus.QUEUED
    return run


def test_an_on_demand_run_under_way_makes_the_monthly_task_try_again_in_10_minutes(
    programme, manager, retries
):
    # Given: a manager's own report is under way on the 1st
    on_demand = an_on_demand_run_under_way(programme, manager)

    # When: beat runs the monthly task
    with pytest.raises(Retry):
        tasks.report_generate_monthly()

    # Then: it asks to run again in 10 minutes for the same day, and started nothing
    today = timezone.localdate().isoformat()
    assert retries == [{"kwargs": {"day": today}, "countdown": 600}]
    assert list(ReportRun.objects.values_list("pk", "kind", "status")) == [
        (on_demand.pk, ReportKind.ON_DEMAND, RunStatus.QUEUED)
    ]


def test_the_retry_makes_the_months_report_once_the_on_demand_run_is_done(
    programme, other_programme, manager, retries, django_capture_on_commit_callbacks
):
    # Given: the monthly task found one programme busy (the other started at once)
    on_demand = an_on_demand_run_under_way(programme, manager)
    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
        tasks.report_generate_monthly()
    assert list(TargetReport.objects.values_list("programme", "kind")) == [
        (other_programme.pk, ReportKind.MONTHLY)
    ]
    # and the manager's own report then finishes
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_generate.run(on_demand.pk) == RunStatus.DONE

    # When: the retry runs, and a second copy of it
    day = retries[0]["kwargs"]["day"]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_generate_monthly(day=day) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_generate_monthly(day=day) == 0

    # Then: each programme has one monthly report, and the manager's own is kept
    assert sorted(TargetReport.objects.values_list("programme", "kind")) == sorted(
        [
            (programme.pk, ReportKind.ON_DEMAND),
            (programme.pk, ReportKind.MONTHLY),
            (other_programme.pk, ReportKind.MONTHLY),
        ]
    )
    assert len(retries) == 1
    # and the manager was told of their programme's monthly report once (a report asked
    # for on demand is not announced)
    assert [m.subject for m in mail.outbox if m.to == [manager.email]] == [
        f"{programme.name}: the monthly target report is ready"
    ]


def test_with_no_run_under_way_the_monthly_task_makes_one_report_without_retrying(
    programme, manager, retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_generate_monthly() == 1
    assert retries == []
    run = ReportRun.objects.get()
    assert (run.kind, run.status, run.schedule_key) == (
        ReportKind.MONTHLY,
        RunStatus.DONE,
        f"monthly:{timezone.localdate():%Y-%m}",
    )
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_two_clicks_still_start_one_on_demand_run(programme, manager):
    first = an_on_demand_run_under_way(programme, manager)
    again, created = services.report_request(actor=manager, programme=programme)
    assert (again.pk, created) == (first.pk, False)
    assert ReportRun.objects.count() == 1


def test_the_retries_last_longer_than_a_lost_run_may_block_the_programme():
    # A run still going after STALE_AFTER is replaced by the next request, so the last
    # retry always finds the programme free.
    task = tasks.report_generate_monthly
    assert (task.max_retries, tasks.MONTHLY_RETRY_SECONDS) == (6, 600)
    assert task.max_retries * tasks.MONTHLY_RETRY_SECONDS > services.STALE_AFTER.total_seconds()


def test_a_month_whose_report_is_made_is_not_retried_for_a_later_on_demand_run(
    programme, manager, retries, django_capture_on_commit_callbacks
):
    # Given: this month's report is made, then a manager asks for one of their own
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.report_generate_monthly() == 1
    an_on_demand_run_under_way(programme, manager)

    # When: the monthly task runs again for the same month (a retry for another
    # programme, or beat running twice)
    assert tasks.report_generate_monthly() == 0

    # Then: nothing new, and no retry: the month already has its report
    assert retries == []
    assert ReportRun.objects.filter(kind=ReportKind.MONTHLY).count() == 1
