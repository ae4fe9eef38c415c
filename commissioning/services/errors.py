"""Refusals commissioning services raise, and helpers they share."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from seir.dates import EARLIEST_DAY, LATEST_DAY
from seir.refusals import Refused


class CommissioningError(Refused):
    """A refusal to show the person (never a 500)."""


class StaleStep(CommissioningError):
    """The record moved on since the person loaded the page."""


# Dates people type are kept within a sane span, so a typo gives a message, not a year 9999.
EARLIEST = EARLIEST_DAY
LATEST = LATEST_DAY


def check_past_date(day: datetime.date, *, field: str, not_before: datetime.date | None = None):
    today = timezone.localdate()
    if day > today:
        raise ValidationError({field: "That date is in the future: record steps once they happen."})
    if day < EARLIEST:
        raise ValidationError({field: f"Give a date from {EARLIEST:%Y} onwards."})
    if not_before is not None and day < not_before:
        raise ValidationError({field: f"The date cannot be before {not_before:%d %B %Y}."})
