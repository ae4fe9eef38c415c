"""An outcome measurement's event is filed under the day it was measured, with the moment it
was recorded kept beside it (issue 16 follow-up to item 11)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Event
from outcomes import services
from outcomes.models import OutcomeDomain

pytestmark = pytest.mark.django_db


def test_a_measurement_is_filed_under_the_day_it_was_measured(seir, venture):
    indicator = services.indicator_add(
        actor=seir,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=1),
        name="People served",
        unit="people",
        baseline=Decimal("0"),
        target=Decimal("10"),
    )
    day = timezone.localdate() - datetime.timedelta(days=31)

    services.measurement_record(actor=seir, indicator=indicator, measured_on=day, value=Decimal(4))

    event = Event.objects.get(kind="outcomes.measurement_recorded")
    assert timezone.localdate(event.at) == day
    assert event.at_is_day is True
    assert timezone.localdate(event.recorded_at) == timezone.localdate()
