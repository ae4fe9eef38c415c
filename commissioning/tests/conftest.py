"""Fixtures: a programme with its people and a venture, and two commissioners, each with a
contact who has a user account (the second organisation's must never see the first's)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.factories import UserFactory, member
from accounts.roles import Role
from commissioning.factories import CommissionerFactory, ContactFactory, PriorityFactory
from commissioning.models import OrganisationType, OutcomeDomain, ServiceArea
from events.models import Event
from ventures.factories import VentureFactory


@pytest.fixture
def venture(programme, seir, entrepreneur):
    return VentureFactory(
        programme=programme,
        stage_code="pilot",
        name="Saheli Women's Centre",
        lead=entrepreneur,
        seir=seir,
    )


@pytest.fixture
def other_venture(programme, seir):
    return VentureFactory(programme=programme, stage_code="idea", name="Men's Sheds", seir=seir)


@pytest.fixture
def ben_pct():
    return CommissionerFactory(
        name="BEN PCT", organisation_type=OrganisationType.objects.get(code="pct-icb")
    )


@pytest.fixture
def council():
    return CommissionerFactory(
        name="Birmingham City Council",
        organisation_type=OrganisationType.objects.get(code="local-authority"),
    )


@pytest.fixture
def commissioner_user(programme):
    return member(
        programme, Role.COMMISSIONER, username="claire", first_name="Claire", last_name="Evans"
    )


@pytest.fixture
def council_user():
    return UserFactory(username="colin", first_name="Colin", last_name="Council")


@pytest.fixture
def contact(ben_pct, commissioner_user):
    return ContactFactory(commissioner=ben_pct, name="Claire Evans", user=commissioner_user)


@pytest.fixture
def council_contact(council, council_user):
    return ContactFactory(commissioner=council, name="Colin Council", user=council_user)


@pytest.fixture
def domains():
    return {d.number: d for d in OutcomeDomain.objects.all()}


@pytest.fixture
def areas():
    return {a.code: a for a in ServiceArea.objects.all()}


@pytest.fixture
def priority(ben_pct, domains):
    return PriorityFactory(commissioner=ben_pct, title="COPD rehabilitation", domain=domains[2])


@pytest.fixture
def days_ago():
    def at(n: int) -> datetime.date:
        return timezone.localdate() - datetime.timedelta(days=n)

    return at


@pytest.fixture
def events():
    def kinds(**filters) -> list[str]:
        return list(Event.objects.filter(**filters).order_by("id").values_list("kind", flat=True))

    return kinds
