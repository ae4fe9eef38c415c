"""Reporting periods: the programme's twelve months, this NHS quarter, this month, custom."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from seir.dates import EARLIEST_DAY, LATEST_DAY

# Dates outside these bounds are refused with a message (no overflow, no 500).
EARLIEST = EARLIEST_DAY
LATEST = LATEST_DAY


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    @property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def end_before(self) -> datetime.datetime:
        """The first moment after the period (datetimes compare with ``<``)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def programme_period(programme) -> Period:
    return Period(programme.start_date, programme.end_date, "The programme's period")


def nhs_quarter(today: datetime.date) -> Period:
    """The NHS financial-year quarter holding ``today``. The year starts on 1 April, so
    its quarters are April-June, July-September, October-December and January-March."""
    start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = start + relativedelta(months=3) - datetime.timedelta(days=1)
    return Period(start, end, "This quarter (NHS financial year)")


def this_month(today: datetime.date) -> Period:
    start = today.replace(day=1)
    end = start + relativedelta(months=1) - datetime.timedelta(days=1)
    return Period(start, end, "This month")
