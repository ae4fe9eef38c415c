"""seed_demo shows both pictures: Birmingham past its target, Solihull early in its
period with a forecast to read."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Programme
from progress.periods import programme_period
from progress.selectors import programme_figures

pytestmark = pytest.mark.django_db


def test_the_demo_programmes_show_both_pictures():
    call_command("seed_demo", "--force", stdout=io.StringIO())

    birmingham = Programme.objects.get(name="Birmingham East and North SEiR programme")
    solihull = Programme.objects.get(name="Solihull Council SEiR programme")
    past = programme_figures(programme=birmingham, period=programme_period(birmingham))
    early = programme_figures(programme=solihull, period=programme_period(solihull))

    assert past.target.achieved >= past.target.number
    assert past.target.on_track is True
    assert early.target.achieved == 0
    assert early.forecast.candidates == 4
    assert 0 < early.forecast.expected <= 4
    assert early.forecast.low <= early.forecast.high
    assert solihull.memberships.filter(user__username="manager", role="manager").exists()
