"""Refusals commissioning services raise, and helpers they share."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone


class CommissioningError(Exception):
    """A refusal to show the person (never a 500)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleStep(CommissioningError):
    """The record moved on since the person loaded the page."""


def require(condition: bool, message: str = "You do not have permission to do that.") -> None:
    if not condition:
        raise PermissionDenied(message)


# Dates people type are kept within a sane span, so a typo gives a message, not a year 9999.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def check_past_date(day: datetime.date, *, field: str, not_before: datetime.date | None = None):
    today = timezone.localdate()
    if day > today:
        raise ValidationError({field: "That date is in the future: record steps once they happen."})
    if day < EARLIEST:
        raise ValidationError({field: f"Give a date from {EARLIEST:%Y} onwards."})
    if not_before is not None and day < not_before:
        raise ValidationError({field: f"The date cannot be before {not_before:%d %B %Y}."})
