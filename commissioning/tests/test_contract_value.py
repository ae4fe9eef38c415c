"""A contract's value is more than £0: a £0 contract was recorded and counted as a
contract in the commissioning ledger and on the dashboard."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning import services
from commissioning.models import Contract
from events.models import Event

pytestmark = pytest.mark.django_db

REFUSAL = "Enter the contract's value: more than £0."


@pytest.fixture
def existing(seir, venture, ben_pct):
    """A contract already recorded, so "nothing saved" is a count that did not move."""
    return services.contract_record(
        actor=seir,
        venture=venture,
        commissioner=ben_pct,
        service="Falls prevention",
        value=Decimal("12000.00"),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 1, 1),
    )


def post(client, venture, ben_pct, value):
    return client.post(
        reverse("commissioning:contract_create", args=[venture.pk]),
        {
            "commissioner": ben_pct.pk,
            "service": "COPD rehabilitation",
            "value": value,
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "status": "signed",
        },
    )


@pytest.mark.parametrize("value", ["0", "£0.00", "0.00", "£0", "-5", "-£0.01"])
def test_a_contract_of_nothing_is_refused_beside_the_value_as_typed(
    client, seir, venture, ben_pct, existing, value
):
    # given: one contract already recorded
    client.force_login(seir)
    before = (Contract.objects.count(), Event.objects.count())

    # when: a contract worth £0 (or less) is sent
    response = post(client, venture, ben_pct, value)

    # then: the form again, the message beside the value, the typing kept, nothing saved
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"value": [REFUSAL]}
    page = response.content.decode()
    assert f'value="{value}"' in page
    assert 'value="COPD rehabilitation"' in page
    assert (Contract.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize(("value", "saved"), [("£0.01", "0.01"), ("1", "1.00")])
def test_a_contract_worth_something_is_recorded(client, seir, venture, ben_pct, value, saved):
    client.force_login(seir)

    response = post(client, venture, ben_pct, value)

    assert response.status_code == 302
    assert Contract.objects.get().value == Decimal(saved)


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("0.00")])
def test_the_service_refuses_a_contract_of_nothing_too(seir, venture, ben_pct, existing, value):
    before = (Contract.objects.count(), Event.objects.count())

    with pytest.raises(ValidationError) as refused:
        services.contract_record(
            actor=seir,
            venture=venture,
            commissioner=ben_pct,
            service="COPD rehabilitation",
            value=value,
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2027, 3, 31),
        )

    assert refused.value.message_dict == {"value": [REFUSAL]}
    assert (Contract.objects.count(), Event.objects.count()) == before
