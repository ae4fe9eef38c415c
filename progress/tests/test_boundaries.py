"""Figures at the edges of a day, a period and British Summer Time (Europe/London)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from progress.periods import programme_period
from progress.snapshot import headline_rows
from ventures.models import Venture

from .conftest import add_venture

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(*args, fold: int = 0) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON, fold=fold)


def test_a_frozen_stuck_row_shows_the_london_day_it_entered_its_stage(programme):
    # 00:30 on 1 June 2025 in London is 23:30 on 31 May in UTC (summer time).
    entered = london(2025, 6, 1, 0, 30)
    venture = add_venture(programme, "Juniper", added=entered)
    Venture.objects.filter(pk=venture.pk).update(stage_entered_at=entered)

    rows = headline_rows(
        programme=programme, period=programme_period(programme), now=timezone.now()
    )["stuck"]["rows"]

    assert rows == [["Juniper", "Idea", "2025-06-01"]]


def _programme_over_summer_time():
    from accounts.factories import ProgrammeFactory

    # Summer time began at 01:00 on 29 March 2026 and ended at 02:00 on 25 October 2026.
    return ProgrammeFactory(
        name="Summer", start_date=datetime.date(2026, 3, 29), end_date=datetime.date(2026, 10, 25)
    )


def test_the_target_counts_by_the_london_day_at_both_ends_of_the_period():
    from django.test import Client

    from accounts.factories import member
    from accounts.roles import Role
    from progress.selectors import programme_figures

    from .conftest import move

    programme = _programme_over_summer_time()
    reached = {
        "first minute": london(2026, 3, 29, 0, 0),
        "day before": london(2026, 3, 28, 23, 59),
        "last evening": london(2026, 10, 25, 23, 30),
        "day after": london(2026, 10, 26, 0, 0),
        "the repeated hour": london(2026, 10, 25, 1, 30, fold=1),
    }
    for name, when in reached.items():
        venture = add_venture(programme, name, added=london(2026, 1, 5, 12))
        move(venture, "startup", when - datetime.timedelta(days=1))
        move(venture, "pilot", when)

    period = programme_period(programme)
    figures = programme_figures(programme=programme, period=period)
    counted = sorted(v.name for v in figures.target.ventures)
    assert counted == ["first minute", "last evening", "the repeated hour"]
    assert figures.target.achieved == 3
    frozen = headline_rows(programme=programme, period=period, now=timezone.now())["achieved"]
    assert sorted(r[0] for r in frozen["rows"]) == counted

    client = Client()
    client.force_login(member(programme, Role.MANAGER, username="summer-manager"))
    listed = client.get(f"/dashboard/rows/achieved/?programme={programme.pk}")
    assert 'data-count="3"' in listed.text


def test_a_reports_file_names_the_london_day_it_was_generated(
    programme, manager, django_capture_on_commit_callbacks
):
    from django.test import Client

    from progress import services
    from progress.models import TargetReport

    with django_capture_on_commit_callbacks(execute=True):
        run, _ = services.report_request(actor=manager, programme=programme)
    run.refresh_from_db()
    # 00:30 on 1 June 2026 in London is 23:30 on 31 May in UTC (summer time).
    TargetReport.objects.filter(pk=run.report_id).update(generated_at=london(2026, 6, 1, 0, 30))
    client = Client()
    client.force_login(manager)
    name = f"birmingham-east-and-north-seir-programme-target-report-2026-06-01-{run.report_id}"
    for ext in ("csv", "pdf"):
        response = client.get(f"/reports/{run.report_id}/report.{ext}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{name}.{ext}"'


@pytest.mark.parametrize(
    "query,message",
    [
        ("seir={stranger}", "SEiR: Select a valid choice."),
        ("seir=99999999999999999999", "SEiR: Select a valid choice."),
        ("start=2026-05-01&end=2026-04-01", "To: The last day must be on or after the first day."),
        ("period=custom&start=nonsense&end=2026-04-01", "From: Enter a valid date."),
    ],
)
def test_a_list_with_a_refused_filter_says_so_and_what_it_shows_instead(
    manager, programme, other_programme, seeded, query, message
):
    import html

    from django.test import Client

    from accounts.factories import member
    from accounts.roles import Role

    stranger = member(other_programme, Role.SEIR, username="stranger")
    client = Client()
    client.force_login(manager)
    response = client.get(f"/dashboard/rows/achieved/?{query.format(stranger=stranger.pk)}")

    assert response.status_code == 200
    text = html.unescape(response.text)
    assert message in text
    assert "the list shows the programme's own period and every SEiR" in text
    assert 'data-count="4"' in text  # the whole programme's, as the message says


def test_a_report_started_just_before_midnight_freezes_rows_of_the_moment_its_figures_count(
    programme, monkeypatch
):
    from progress import selectors, services
    from progress.models import ReportRun

    # The run starts at 23:59:59 on 10 June; its figures are counted a moment later, on
    # 11 June. A venture in its stage since noon on 10 June less the stuck days is stuck
    # from 11 June on.
    before = london(2026, 6, 10, 23, 59, 59)
    after = london(2026, 6, 11, 0, 0, 1)
    entered = london(2026, 6, 10, 12) - datetime.timedelta(days=programme.stuck_after_days)
    venture = add_venture(programme, "Larch", added=entered)
    Venture.objects.filter(pk=venture.pk).update(stage_entered_at=entered)
    clock = [before]
    monkeypatch.setattr(services.timezone, "now", lambda: clock[0])

    def figures_a_moment_later(**kwargs):
        clock[0] = after
        return selectors.programme_figures(**kwargs)

    monkeypatch.setattr(services, "programme_figures", figures_a_moment_later)
    run = ReportRun.objects.create(programme=programme, kind="on_demand")

    report = services.report_run_execute(run_id=run.pk).report

    assert report.figures["pipeline"]["stuck"] == 1
    assert report.rows["stuck"]["rows"] == [["Larch", "Idea", entered.date().isoformat()]]
