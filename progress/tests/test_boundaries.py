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


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def test_a_frozen_stuck_row_shows_the_london_day_it_entered_its_stage(programme):
    # 00:30 on 1 June 2025 in London is 23:30 on 31 May in UTC (summer time).
    entered = london(2025, 6, 1, 0, 30)
    venture = add_venture(programme, "Juniper", added=entered)
    Venture.objects.filter(pk=venture.pk).update(stage_entered_at=entered)

    rows = headline_rows(
        programme=programme, period=programme_period(programme), now=timezone.now()
    )["stuck"]["rows"]

    assert rows == [["Juniper", "Idea", "2025-06-01"]]
