"""Issue 16, item 7: the introduction's profile shows the outcomes the team chose to share
(name, unit, baseline, target, latest measurement with its date) to the addressed
commissioner while the profile is shown; unshared indicators never, another organisation's
commissioner and a closed introduction none. Outcomes reach commissioning through the
``ventures.profile_sections`` seam, in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning import services
from outcomes import services as outcome_services
from outcomes.models import OutcomeDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(seir, venture, contact, days_ago):
    return services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Activity", made_on=days_ago(5)
    )


def _indicator(seir, venture, name, *, shared, measured=None):
    indicator = outcome_services.indicator_add(
        actor=seir,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=2),
        name=name,
        unit="score",
        baseline=Decimal("40"),
        target=Decimal("55.5"),
        shared_with_commissioners=shared,
    )
    for on, value in measured or []:
        outcome_services.measurement_record(
            actor=seir, indicator=indicator, measured_on=on, value=Decimal(value)
        )
    return indicator


@pytest.fixture
def indicators(seir, venture):
    shared = _indicator(
        seir,
        venture,
        "Wellbeing (WEMWBS)",
        shared=True,
        measured=[(datetime.date(2026, 9, 1), "44"), (datetime.date(2026, 11, 1), "46.3")],
    )
    hidden = _indicator(seir, venture, "Drop-out rate", shared=False)
    return shared, hidden


def _page(client, user, intro):
    client.force_login(user)
    return client.get(reverse("commissioning:introduction", args=[intro.pk]))


def test_the_addressed_commissioner_reads_the_shared_indicators_only(
    client, commissioner_user, intro, indicators
):
    html = _page(client, commissioner_user, intro).content.decode()

    assert "Outcomes the team shares" in html
    assert (
        '<tr><th scope="row">Wellbeing (WEMWBS)</th><td>score</td>'
        '<td class="text-end">40</td><td class="text-end">55.50</td>\n'
        '      <td>46.30 on <time datetime="2026-11-01">1 Nov 2026</time></td></tr>'
    ) in html
    assert "Drop-out rate" not in html


def test_nothing_shared_shows_no_section(client, commissioner_user, seir, venture, intro):
    _indicator(seir, venture, "Drop-out rate", shared=False)

    html = _page(client, commissioner_user, intro).content.decode()

    assert "Outcomes the team shares" not in html


def test_another_organisations_commissioner_sees_none(client, council_user, intro, indicators):
    page = _page(client, council_user, intro)

    assert page.status_code == 404
    assert "Wellbeing" not in page.content.decode()


def test_a_closed_introduction_shows_none(client, commissioner_user, intro, indicators):
    services.referral_move(
        actor=commissioner_user, referral=intro, to_step="declined", note="No budget."
    )

    html = _page(client, commissioner_user, intro).content.decode()

    assert "Wellbeing" not in html
    assert "Outcomes the team shares" not in html


def test_the_profile_costs_the_same_queries_however_many_are_shared(
    client, commissioner_user, seir, venture, intro, indicators
):
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction", args=[intro.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        _indicator(
            seir, venture, f"Extra {n}", shared=True, measured=[(datetime.date(2026, 10, 1), "1")]
        )
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)

    assert page.content.decode().count('<th scope="row">Extra ') == 3
    assert len(more.captured_queries) == len(few.captured_queries)
