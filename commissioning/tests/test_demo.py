"""The commissioning demo data: made through the services, idempotent."""

import pytest
from django.core.management import call_command

from commissioning import demo, selectors
from commissioning.models import Commissioner, Contract, Introduction, Step
from events.models import Event

pytestmark = pytest.mark.django_db


def test_seed_demo_then_commissioning_demo_is_complete_and_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo.seed_demo()
    assert set(Commissioner.objects.values_list("name", flat=True)) == {
        "BEN PCT",
        "Birmingham City Council",
        "Erdington Practice-Based Commissioning Group",
    }
    assert set(Introduction.objects.values_list("step", flat=True)) == set(Step.values)
    assert sorted(Contract.objects.values_list("status", flat=True)) == ["live", "signed"]
    from accounts.models import User

    commissioner = User.objects.get(username="commissioner")
    filtered = selectors.introduction_filter(user=commissioner, data={})
    assert {i.commissioner.name for i in filtered.qs} == {"BEN PCT"}
    counts = (Introduction.objects.count(), Contract.objects.count(), Event.objects.count())
    demo.seed_demo()
    assert (Introduction.objects.count(), Contract.objects.count(), Event.objects.count()) == counts


def test_seed_scale_adds_introductions_once_per_venture(settings):
    settings.DEBUG = True
    call_command("seed_demo", ventures=30, stdout=open("/dev/null", "w"))
    demo.seed_scale(ventures=1000)
    from ventures.models import Venture

    programme_ventures = Venture.objects.filter(
        programme__name="Birmingham East and North SEiR programme"
    ).count()
    assert Introduction.objects.values("venture_id").distinct().count() == programme_ventures
    before = Introduction.objects.count()
    demo.seed_scale(ventures=1000)
    assert Introduction.objects.count() == before
