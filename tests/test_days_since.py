"""seir.dates: calendar days since a moment, one at a time or for a page's rows."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from seir.dates import days_since, days_since_each

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in London, clocks just gone on

MOMENTS = [
    None,
    NOW,
    NOW - datetime.timedelta(minutes=31),  # 23:59 the day before in London
    NOW - datetime.timedelta(minutes=29),
    datetime.datetime(2026, 3, 28, 23, 59, tzinfo=ZoneInfo("Europe/London")),
    datetime.datetime(2025, 10, 26, 1, 30, tzinfo=ZoneInfo("America/New_York")),
    datetime.datetime(2020, 2, 29, 12, 0, tzinfo=UTC),
    NOW + datetime.timedelta(days=2),  # a moment after now: negative
]


@pytest.mark.parametrize(
    "zone", ["Europe/London", "UTC", "Pacific/Auckland", "America/Los_Angeles"]
)
def test_each_is_days_since(zone):
    with timezone.override(ZoneInfo(zone)):
        days = days_since_each(NOW)
        assert [days(moment) for moment in MOMENTS] == [
            days_since(moment, NOW) for moment in MOMENTS
        ]


def test_each_counts_dates_turned_in_the_current_zone():
    with timezone.override(ZoneInfo("Europe/London")):
        days = days_since_each(NOW)
        assert days(NOW - datetime.timedelta(minutes=31)) == 1  # yesterday, 23:59
        assert days(NOW - datetime.timedelta(minutes=29)) == 0  # today, 00:01
        assert days(datetime.datetime(2026, 3, 1, 12, tzinfo=UTC)) == 28
        assert days(None) is None


def test_each_refuses_a_naive_moment_as_days_since_does():
    naive = datetime.datetime(2026, 3, 1, 12, 0)
    with pytest.raises(ValueError):
        days_since(naive, NOW)
    with pytest.raises(ValueError):
        days_since_each(NOW)(naive)
