import pytest
from django.core.management import call_command

from funding.demo import seed_demo as seed_funding
from funding.models import FundingApplication
from outcomes.demo import seed_demo as seed_outcomes
from outcomes.models import Indicator, Measurement

pytestmark = pytest.mark.django_db


def test_demo_funding_and_outcomes_go_through_the_services_and_are_idempotent(tmp_path):
    call_command("seed_demo", force=True, stdout=open(tmp_path / "out", "w"))
    seed_funding()
    seed_outcomes()
    counts = (
        FundingApplication.objects.count(),
        Indicator.objects.count(),
        Measurement.objects.count(),
    )
    assert counts[0] >= 6
    assert FundingApplication.objects.filter(status="awarded").count() >= 2
    assert counts[1] >= 4
    assert counts[2] == 12 * counts[1]
    seed_funding()
    seed_outcomes()
    assert (
        FundingApplication.objects.count(),
        Indicator.objects.count(),
        Measurement.objects.count(),
    ) == counts
