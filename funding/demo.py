"""Demo funding applications for the demo programme, made through the services.

Called by ``seed_demo`` after the demo ventures exist; idempotent (it does nothing once the demo
SEiR's ventures have applications).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from ventures.models import Venture

from . import services
from .models import Fund, FundingApplication

# venture name -> [(fund code, purpose, requested, [statuses...], awarded)]
DEMO = {
    "Saheli Women's Centre": [
        (
            "seif",
            "Coaches and dry-slope hire for the first year",
            "18500.00",
            ["submitted", "under_review", "awarded"],
            "15000.00",
        ),
        ("local-grant", "Minibus for trips to the slope", "6000.00", ["submitted"], None),
    ],
    "Breathe Easy Erdington": [
        (
            "rif",
            "Pilot of peer-led COPD support groups in three practices",
            "42000.00",
            ["submitted", "under_review"],
            None,
        ),
        (
            "unltd",
            "Founder time to write the business plan",
            "5000.00",
            ["submitted", "awarded"],
            "5000.00",
        ),
    ],
}
FALLBACK = [
    (
        "seif",
        "Development grant for a business plan and due diligence",
        "12000.00",
        ["submitted", "declined"],
        None,
    ),
    ("icrf", "Getting ready to bid for a council contract", "25000.00", [], None),
]


def seed_demo(*, stdout=None) -> None:
    seir = User.objects.filter(username="seir").first()
    if seir is None or FundingApplication.objects.filter(venture__seir=seir).exists():
        return  # no demo SEiR, or already seeded
    ventures = list(Venture.objects.filter(seir=seir).order_by("pk")[:6])
    today = timezone.localdate()
    funds = {f.code: f for f in Fund.objects.all()}
    made = 0
    for index, venture in enumerate(ventures):
        for offset, (code, purpose, amount, path, awarded) in enumerate(
            DEMO.get(venture.name, FALLBACK if index % 2 == 0 else FALLBACK[:1])
        ):
            fund = funds.get(code)
            if fund is None or not fund.is_active:
                continue
            application = services.application_create(
                actor=seir,
                venture=venture,
                fund=fund,
                purpose=purpose,
                amount_requested=Decimal(amount),
                deadline=today + datetime.timedelta(days=30 + 7 * offset),
            )
            day = today - datetime.timedelta(days=90 - 10 * offset)
            for status in path:
                services.application_set_status(
                    actor=seir,
                    application=application,
                    to_status=status,
                    on=day,
                    amount_awarded=Decimal(awarded) if status == "awarded" else None,
                )
                day += datetime.timedelta(days=21)
            made += 1
    if stdout is not None and made:
        stdout.write(f"Funding: {made} demo applications.")
