"""Dates read from a query string, safe at the ends of the calendar.

0001-01-01 and 9999-12-31 are valid dates, so a date field accepts them; but "the day
after 9999-12-31" does not exist and midnight of 0001-01-01 in a time zone ahead of UTC
lies before the first representable instant. Filters that turn a day into a range of
instants go through these helpers: a bound that cannot be represented is no bound at all
(or, for a start after the last instant, matches nothing), never an OverflowError.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

# The first day a record of the programme can be dated: an earlier one is a typing
# mistake (0206 for 2026; 0001-01-01 is a valid date, not a real one). Every date a
# person types is refused before it.
EARLIEST_DAY = datetime.date(2000, 1, 1)
# The last day a date a person types may be (a deadline, a contract's end): a later one
# is a typing mistake too (20266 for 2026).
LATEST_DAY = datetime.date(2100, 12, 31)


def day_start(day: datetime.date) -> datetime.datetime | None:
    """Midnight at the start of ``day`` in the current time zone, or None if that instant
    (or its UTC equivalent, which the database compares) cannot be represented."""
    try:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        start.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return None
    return start


def next_day_start(day: datetime.date) -> datetime.datetime | None:
    """Midnight at the end of ``day``: the exclusive upper bound of that day."""
    if day >= datetime.date.max:
        return None
    return day_start(day + datetime.timedelta(days=1))


def filter_on_or_after(queryset, field: str, day: datetime.date):
    """Rows whose datetime ``field`` falls on ``day`` or later."""
    start = day_start(day)
    if start is not None:
        return queryset.filter(**{f"{field}__gte": start})
    # Unrepresentable: either before every instant (no bound) or after every one (none).
    return queryset if day.year < 5000 else queryset.none()


def filter_on_or_before(queryset, field: str, day: datetime.date):
    """Rows whose datetime ``field`` falls on ``day`` or earlier."""
    end = next_day_start(day)
    if end is not None:
        return queryset.filter(**{f"{field}__lt": end})
    return queryset if day.year >= 5000 else queryset.none()


# --- counting days as people do ---------------------------------------------------------
# "12 days in stage" means twelve dates have turned since the venture entered it, not
# twelve periods of 24 hours: the count changes at midnight for every venture at once,
# never at each venture's own time of day, and a page shows the same count all day.
# Every "days since", "more than N days" and "quiet for N days" rule uses these two, so
# a list filtered by "more than 30 days" holds exactly the rows whose count shows more.


def days_since(
    moment: datetime.datetime | None, now: datetime.datetime | None = None
) -> int | None:
    """Calendar days from ``moment`` to ``now`` (today: 0; yesterday: 1), or None."""
    if moment is None:
        return None
    return (timezone.localdate(now or timezone.now()) - timezone.localdate(moment)).days


def days_since_each(
    now: datetime.datetime | None = None,
) -> Callable[[datetime.datetime | None], int | None]:
    """``days_since(moment, now)`` for the many moments of a page's rows, with today and
    the time zone looked up once rather than for every row."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now or timezone.now(), zone)

    def days(moment: datetime.datetime | None) -> int | None:
        if moment is None:
            return None
        if moment.tzinfo is None:  # refused as days_since refuses it
            return days_since(moment, now)
        return (today - moment.astimezone(zone).date()).days

    return days


def more_than_days_ago(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment of the local day ``days`` days before today: a moment before it
    is more than ``days`` calendar days ago (``days_since(moment, now) > days``)."""
    day = timezone.localdate(now or timezone.now()) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
