"""Every page renders for the SEiR, and the directory/record forms go through services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from commissioning import services
from commissioning.factories import SupportProviderFactory, WindowFactory
from commissioning.models import (
    Commissioner,
    Contact,
    Contract,
    Priority,
    ProcurementWindow,
    SupportReferral,
)
from events.models import Event

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_the_seir(
    client, seir, venture, contact, priority, ben_pct, domains
):
    WindowFactory(priority=priority)
    services.venture_focus_set(actor=seir, venture=venture, domains=[domains[2]], service_areas=[])
    intro = services.introduction_make(
        actor=seir, venture=venture, contact=contact, priority=priority, purpose="p"
    )
    contract = services.contract_record(
        actor=seir,
        venture=venture,
        commissioner=ben_pct,
        service="COPD rehab",
        value=10,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 1, 1),
        introduction=intro,
    )
    referral = services.support_referral_make(
        actor=seir, venture=venture, provider=SupportProviderFactory(), purpose="Articles"
    )
    client.force_login(seir)
    for url in [
        reverse("commissioning:commissioners"),
        reverse("commissioning:commissioner_create"),
        reverse("commissioning:commissioner", args=[ben_pct.pk]),
        reverse("commissioning:contact_create", args=[ben_pct.pk]),
        reverse("commissioning:priority_create", args=[ben_pct.pk]),
        reverse("commissioning:priority", args=[priority.pk]),
        reverse("commissioning:window_create", args=[priority.pk]),
        reverse("commissioning:introductions"),
        reverse("commissioning:introduction", args=[intro.pk]),
        reverse("commissioning:introduction_create"),
        reverse("commissioning:ledger"),
        reverse("commissioning:venture_tab", args=[venture.pk]),
        reverse("commissioning:contract_create", args=[venture.pk]) + f"?introduction={intro.pk}",
        reverse("commissioning:contract", args=[contract.pk]),
        reverse("commissioning:referral_create", args=[venture.pk]),
        reverse("commissioning:referral", args=[referral.pk]),
        reverse("ventures:detail", args=[venture.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    tab = client.get(reverse("commissioning:venture_tab", args=[venture.pk]))
    assert [p.pk for p in tab.context["matches"]] == [priority.pk]
    assert "Commissioning" in [t["label"] for t in tab.context["tabs"]]


def test_directory_forms_create_through_services(client, seir, commissioner_user):
    client.force_login(seir)
    from commissioning.models import OrganisationType

    response = client.post(
        reverse("commissioning:commissioner_create"),
        {
            "name": "Heart of Birmingham PCT",
            "organisation_type": OrganisationType.objects.get(code="pct-icb").pk,
        },
    )
    commissioner = Commissioner.objects.get(name="Heart of Birmingham PCT")
    assert response.status_code == 302
    client.post(
        reverse("commissioning:contact_create", args=[commissioner.pk]),
        {"name": "Jo Buyer", "email": "jo@example.nhs.uk", "user": commissioner_user.pk},
    )
    assert Contact.objects.get(commissioner=commissioner).user == commissioner_user
    client.post(
        reverse("commissioning:priority_create", args=[commissioner.pk]),
        {
            "title": "Falls",
            "domain": 5,
            "budget": "120000",
            "period_start": "2026-04-01",
            "period_end": "2027-03-31",
        },
    )
    priority = Priority.objects.get(title="Falls")
    client.post(
        reverse("commissioning:window_create", args=[priority.pk]),
        {"opens": "2026-05-01", "closes": "2026-06-30", "route": "tender"},
    )
    assert ProcurementWindow.objects.get(priority=priority).route == "tender"
    assert list(
        Event.objects.filter(kind__startswith="commissioning.")
        .order_by("id")
        .values_list("kind", flat=True)
    ) == [
        "commissioning.commissioner_added",
        "commissioning.contact_added",
        "commissioning.priority_added",
        "commissioning.window_added",
    ]


def test_priority_budget_bounds(client, seir, ben_pct):
    client.force_login(seir)
    response = client.post(
        reverse("commissioning:priority_create", args=[ben_pct.pk]),
        {
            "title": "X",
            "domain": 1,
            "budget": "99999999999999",
            "period_start": "2026-04-01",
            "period_end": "2026-03-01",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"budget", "period_end"}
    assert not Priority.objects.exists()


def test_contract_and_referral_forms(client, seir, venture, ben_pct):
    client.force_login(seir)
    response = client.post(
        reverse("commissioning:contract_create", args=[venture.pk]),
        {
            "commissioner": ben_pct.pk,
            "service": "Rehab",
            "value": "48000.00",
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "status": "signed",
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    response = client.post(
        reverse("commissioning:contract", args=[contract.pk]),
        {"to_status": "live", "note": "", "expected_status": "signed"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "live"
    provider = SupportProviderFactory()
    client.post(
        reverse("commissioning:referral_create", args=[venture.pk]),
        {
            "provider": provider.pk,
            "made_on": datetime.date.today().isoformat(),
            "purpose": "Accounts",
        },
    )
    referral = SupportReferral.objects.get()
    response = client.post(
        reverse("commissioning:referral", args=[referral.pk]),
        {
            "to_step": "introduced",
            "on": datetime.date.today().isoformat(),
            "expected_step": "requested",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.step == "introduced"


def test_a_contract_end_before_start_is_a_field_error(client, seir, venture, ben_pct):
    client.force_login(seir)
    response = client.post(
        reverse("commissioning:contract_create", args=[venture.pk]),
        {
            "commissioner": ben_pct.pk,
            "service": "Rehab",
            "value": "1",
            "start_date": "2026-04-01",
            "end_date": "2026-04-01",
            "status": "signed",
        },
    )
    assert response.context["form"].errors == {
        "end_date": ["The end date must be after the start date."]
    }
    assert not Contract.objects.exists()
