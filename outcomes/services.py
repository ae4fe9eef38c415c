"""Writes for outcomes: permission, validation, one event, one transaction each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from events.services import event_record
from seir.dates import EARLIEST_DAY
from ventures.models import Venture

from . import permissions
from .models import Indicator, Measurement, OutcomeDomain


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


@transaction.atomic
def indicator_add(
    *,
    actor: User,
    venture: Venture,
    domain: OutcomeDomain,
    name: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    direction: str = "up",
    description: str = "",
    shared_with_commissioners: bool = False,
    at: datetime | None = None,
) -> Indicator:
    if not permissions.can_record_outcomes(actor, venture):
        raise PermissionDenied("Only the venture's team and its SEiR can add indicators.")
    if not domain.is_active:
        raise ValidationError({"domain": "That domain is no longer offered; choose another."})
    indicator = Indicator(
        venture=venture,
        domain=domain,
        name=name.strip(),
        unit=unit.strip(),
        baseline=baseline,
        target=target,
        direction=direction,
        description=description.strip(),
        shared_with_commissioners=shared_with_commissioners,
        created_by=actor,
    )
    indicator.full_clean()
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError:  # a second tab saved the same name a moment ago
        raise ValidationError(
            {"name": "This venture already has an indicator with that name."}
        ) from None
    event_record(
        actor=actor,
        kind="outcomes.indicator_added",
        subject=indicator,
        venture=venture,
        data={
            "name": indicator.name,
            "domain": str(domain),
            "unit": indicator.unit,
            "baseline": _number(baseline),
            "target": _number(target),
            "shared": indicator.shared_with_commissioners,
        },
        at=at,
    )
    return indicator


@transaction.atomic
def indicator_share(*, actor: User, indicator: Indicator, shared: bool) -> Indicator:
    """Share an indicator with the commissioners the venture is introduced to, or stop
    sharing it. Nothing is written (and no event) when the choice does not change."""
    if not permissions.can_record_outcomes(actor, indicator.venture):
        raise PermissionDenied("Only the venture's team and its SEiR can share indicators.")
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if current.shared_with_commissioners == shared:
        return current
    current.shared_with_commissioners = shared
    current.save(update_fields=["shared_with_commissioners"])
    event_record(
        actor=actor,
        kind="outcomes.indicator_sharing_changed",
        subject=current,
        venture=current.venture,
        data={"name": current.name, "shared": shared},
    )
    return current


def _duplicate_date(indicator: Indicator, on: date) -> ValidationError:
    existing = indicator.measurements.filter(measured_on=on).first()
    shown = f" ({_number(existing.value)} {indicator.unit})" if existing else ""
    return ValidationError(
        {
            "measured_on": f"There is already a measurement for {on.day} {on:%B %Y}{shown}. "
            "Correct that one instead."
        }
    )


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    indicator: Indicator,
    measured_on: date,
    value: Decimal,
    note: str = "",
    at: datetime | None = None,
) -> Measurement:
    if not permissions.can_record_outcomes(actor, indicator.venture):
        raise PermissionDenied("Only the venture's team and its SEiR can record measurements.")
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "A measurement cannot be in the future."})
    if measured_on < EARLIEST_DAY:
        # A mistyped year (0206 for 2026): a measurement cannot be re-dated or deleted.
        raise ValidationError({"measured_on": f"Enter a date from {EARLIEST_DAY:%Y} on."})
    if indicator.measurements.filter(measured_on=measured_on).exists():
        raise _duplicate_date(indicator, measured_on)
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        note=note.strip(),
        recorded_by=actor,
    )
    measurement.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:  # the same date saved by someone else a moment ago
        raise _duplicate_date(indicator, measured_on) from None
    event_record(
        actor=actor,
        kind="outcomes.measurement_recorded",
        subject=measurement,
        venture=indicator.venture,
        data={
            "indicator": indicator.name,
            "unit": indicator.unit,
            "on": measured_on.isoformat(),
            "value": _number(value),
        },
        at=at,
        on=measured_on,  # filed under the day measured; recorded_at keeps when it was typed
    )
    return measurement


class MeasurementChanged(ValidationError):
    """The measurement was corrected by someone else since the person's page was drawn."""

    def __init__(self, current: Measurement, unit: str):
        super().__init__(
            f"Someone else corrected this measurement to {_number(current.value)} {unit} "
            "while you were correcting it; yours was not saved. Save again to replace it."
        )
        self.current = current


@transaction.atomic
def measurement_correct(
    *,
    actor: User,
    measurement: Measurement,
    value: Decimal,
    note: str | None = None,
    expected_value: Decimal | None = None,
    expected_note: str | None = None,
) -> Measurement:
    """Correct a measurement's value (and note). ``expected_value`` / ``expected_note``:
    what the person's page showed; if it was corrected since, the correction is refused
    (``MeasurementChanged``) rather than replace the newer one unseen."""
    indicator = measurement.indicator
    if not permissions.can_record_outcomes(actor, indicator.venture):
        raise PermissionDenied("Only the venture's team and its SEiR can correct measurements.")
    current = Measurement.objects.select_for_update().get(pk=measurement.pk)
    old, current_note = current.value, current.note
    fields = []
    if value != old:
        current.value = value
        fields.append("value")
    if note is not None and note.strip() != current.note:
        current.note = note.strip()
        fields.append("note")
    if not fields:
        return current
    if (expected_value is not None and expected_value != old) or (
        expected_note is not None and expected_note.strip() != current_note
    ):
        current.value, current.note = old, current_note
        raise MeasurementChanged(current, indicator.unit)
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.save(update_fields=fields)
    event_record(
        actor=actor,
        kind="outcomes.measurement_corrected",
        subject=current,
        venture=indicator.venture,
        data={
            "indicator": indicator.name,
            "unit": indicator.unit,
            "on": current.measured_on.isoformat(),
            "old": _number(old),
            "new": _number(current.value),
        },
    )
    return current
