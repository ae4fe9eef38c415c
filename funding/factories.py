"""factory-boy factories for funding (tests)."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from .models import Fund, FundingApplication


class FundFactory(DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"fund-{n}")
    name = factory.Sequence(lambda n: f"Fund {n}")
    funder = "A funder"
    funding_type = "grant"


class FundingApplicationFactory(DjangoModelFactory):
    class Meta:
        model = FundingApplication

    fund = factory.LazyFunction(lambda: Fund.objects.get(code="seif"))
    funding_type = "grant"
    purpose = "Start-up costs"
    amount_requested = Decimal("1000.00")
