"""seed_demo leaves each demo programme two past monthly target reports, made by the
report services, and seeding again makes none."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Programme
from progress.demo import seed_demo as seed_reports
from progress.models import ReportKind, RunStatus, TargetReport

pytestmark = pytest.mark.django_db


def test_each_demo_programme_has_two_past_monthly_reports(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True, stdout=open(tmp_path / "out", "w"))

    programmes = list(Programme.objects.order_by("pk"))
    assert len(programmes) >= 2
    this_month = timezone.localdate().replace(day=1)
    for programme in programmes:
        reports = list(TargetReport.objects.filter(programme=programme).order_by("generated_at"))
        assert [r.kind for r in reports] == [ReportKind.MONTHLY, ReportKind.MONTHLY]
        dates = [timezone.localtime(r.generated_at).date() for r in reports]
        assert all(d.day == 1 and d < this_month for d in dates)
        assert dates[0] < dates[1]
        assert all(r.run.status == RunStatus.DONE for r in reports)
    # no "ready" emails for reports back-dated by the demo
    assert mail.outbox == []

    # seeding again makes none
    assert seed_reports() == 0
    assert TargetReport.objects.count() == 2 * len(programmes)
