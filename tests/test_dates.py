"""seir.dates: day bounds at the ends of the calendar never overflow (issue 21)."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from seir.dates import day_start, next_day_start

FIRST, LAST = datetime.date.min, datetime.date.max


def test_the_day_after_the_last_day_is_no_bound():
    assert next_day_start(LAST) is None
    assert next_day_start(datetime.date(2026, 3, 31)) == timezone.make_aware(
        datetime.datetime(2026, 4, 1)
    )


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_midnight_before_the_first_instant_is_no_bound():
    # 0001-01-01 00:00 in New Zealand is still 31 December of year 0 in UTC.
    assert day_start(FIRST) is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("name", ["scouting:meeting_list", "scouting:meeting_export"])
@pytest.mark.parametrize("tz", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_meeting_date_filters_accept_both_ends_of_the_calendar(client, name, value, tz):
    from accounts.factories import ProgrammeFactory, member
    from accounts.roles import Role
    from scouting.factories import MeetingFactory

    programme = ProgrammeFactory()
    client.force_login(member(programme, Role.SEIR))
    MeetingFactory(programme=programme)
    with override_settings(TIME_ZONE=tz):
        for params in ({"date_from": value}, {"date_to": value}):
            assert client.get(reverse(name), params).status_code == 200
