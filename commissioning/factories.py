"""factory-boy factories for commissioning (tests and demo data)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from .models import (
    Commissioner,
    Contact,
    OrganisationType,
    OutcomeDomain,
    Priority,
    ProcurementRoute,
    ProcurementWindow,
    SupportProvider,
    SupportType,
)


class CommissionerFactory(DjangoModelFactory):
    class Meta:
        model = Commissioner
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Commissioner {n}")
    organisation_type = factory.LazyFunction(lambda: OrganisationType.objects.get(code="pct-icb"))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    commissioner = factory.SubFactory(CommissionerFactory)
    name = factory.Faker("name", locale="en_GB")
    role = "Commissioning manager"
    email = factory.Sequence(lambda n: f"contact{n}@example.nhs.uk")


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    commissioner = factory.SubFactory(CommissionerFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    domain = factory.LazyFunction(lambda: OutcomeDomain.objects.get(number=2))
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    period_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=335))


class WindowFactory(DjangoModelFactory):
    class Meta:
        model = ProcurementWindow

    priority = factory.SubFactory(PriorityFactory)
    opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=50))
    route = ProcurementRoute.PILOT


class SupportProviderFactory(DjangoModelFactory):
    class Meta:
        model = SupportProvider

    name = factory.Sequence(lambda n: f"Provider {n}")
    support_type = factory.LazyFunction(lambda: SupportType.objects.get(code="legal"))
