"""Demo outcome indicators with a year of monthly measurements, made through the services.

Called by ``seed_demo`` after the demo ventures exist; idempotent (it does nothing once the demo
SEiR's ventures have indicators).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from ventures.models import Venture

from . import services
from .models import Indicator, OutcomeDomain

# (name, domain, unit, baseline, target, direction, monthly values)
INDICATORS = [
    (
        "Women taking part each month",
        2,
        "people",
        20,
        120,
        "up",
        [22, 30, 41, 45, 58, 63, 70, 77, 85, 90, 96, 104],
    ),
    (
        "Wellbeing score (WEMWBS, mean)",
        2,
        "score",
        41,
        48,
        "up",
        [41, 41.5, 42, 42.8, 43, 43.6, 44.1, 44.5, 45, 45.2, 45.9, 46.3],
    ),
    (
        "Emergency admissions for COPD",
        3,
        "admissions",
        40,
        30,
        "down",
        [41, 39, 40, 38, 36, 37, 35, 34, 33, 33, 32, 31],
    ),
]


def seed_demo(*, stdout=None) -> None:
    seir = User.objects.filter(username="seir").first()
    if seir is None or Indicator.objects.filter(venture__seir=seir).exists():
        return  # no demo SEiR, or already seeded
    domains = {d.number: d for d in OutcomeDomain.objects.all()}
    ventures = list(Venture.objects.filter(seir=seir, indicators__isnull=True).order_by("pk")[:4])
    today = timezone.localdate()
    made = 0
    for index, venture in enumerate(ventures):
        for name, domain, unit, baseline, target, direction, values in INDICATORS[: 1 + index % 3]:
            indicator = services.indicator_add(
                actor=seir,
                venture=venture,
                domain=domains[domain],
                name=name,
                unit=unit,
                baseline=Decimal(str(baseline)),
                target=Decimal(str(target)),
                direction=direction,
            )
            for months_ago, value in zip(range(len(values), 0, -1), values, strict=True):
                services.measurement_record(
                    actor=venture.lead or seir,
                    indicator=indicator,
                    measured_on=(today.replace(day=1) - datetime.timedelta(days=30 * months_ago)),
                    value=Decimal(str(value)),
                )
            made += 1
    if stdout is not None and made:
        stdout.write(f"Outcomes: {made} demo indicators with a year of measurements.")
