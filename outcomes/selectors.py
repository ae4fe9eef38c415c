"""Reads for outcomes (the caller has checked the venture is visible)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from seir.prepared import attach, prepared
from ventures.models import Venture

from .models import Direction, Indicator, Measurement


@dataclass(frozen=True)
class Progress:
    latest: Measurement | None
    # Share of the way from baseline to target, 0-100+ (None when it cannot be said).
    percent: int | None
    on_target: bool


def indicator_progress(*, indicator: Indicator) -> Progress:
    """From its ``measurement_list`` (``indicator_list_for_venture``): where the indicator
    stands against its target."""
    measurements = indicator.measurement_list
    latest = measurements[-1] if measurements else None
    if latest is None:
        return Progress(latest=None, percent=None, on_target=False)
    span = indicator.target - indicator.baseline
    if indicator.direction == Direction.DOWN:
        on_target = latest.value <= indicator.target
    else:
        on_target = latest.value >= indicator.target
    if span == 0:
        return Progress(latest=latest, percent=100 if on_target else 0, on_target=on_target)
    percent = (latest.value - indicator.baseline) / span * Decimal(100)
    return Progress(latest=latest, percent=int(percent.to_integral_value()), on_target=on_target)


def indicator_list_for_venture(*, venture: Venture) -> list[Indicator]:
    """The venture's indicators, each with its domain and ``measurement_list`` (its
    measurements by date, with who recorded them): two prepared queries however many."""
    indicators = _indicators(venture.pk)
    for indicator in indicators:
        indicator.venture = venture
    return attach(indicators, _measurements, by="indicator_id", name="measurement_list")


@prepared
def _indicators(venture_id):
    return Indicator.objects.filter(venture_id=venture_id).select_related("domain")


@prepared
def _measurements(indicator_ids):
    return (
        Measurement.objects.filter(indicator_id__in=indicator_ids)
        .select_related("recorded_by")
        .order_by("measured_on", "id")
    )


def shared_indicator_list_for_venture(*, venture: Venture) -> list[Indicator]:
    """The indicators the team chose to share with commissioners, each with ``latest``
    (its latest measurement or None); two queries however many."""
    indicators = list(
        Indicator.objects.filter(venture=venture, shared_with_commissioners=True).prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "id"))
        )
    )
    for indicator in indicators:
        measurements = list(indicator.measurements.all())
        indicator.latest = measurements[-1] if measurements else None
    return indicators


def measurement_get(*, venture: Venture, pk: int) -> Measurement | None:
    return (
        Measurement.objects.select_related("indicator", "indicator__venture")
        .filter(indicator__venture=venture, pk=pk)
        .first()
    )
