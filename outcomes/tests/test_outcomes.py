"""Outcome indicators and measurements: services, progress, permissions, pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event
from outcomes import services
from outcomes.models import Indicator, Measurement, OutcomeDomain
from outcomes.selectors import indicator_list_for_venture, indicator_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def domain():
    return OutcomeDomain.objects.get(number=2)


@pytest.fixture
def indicator(entrepreneur, venture, domain):
    return services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=domain,
        name="Women taking part each month",
        unit="people",
        baseline=Decimal("20"),
        target=Decimal("120"),
    )


def record(actor, indicator, day, value):
    return services.measurement_record(
        actor=actor, indicator=indicator, measured_on=day, value=Decimal(value)
    )


def test_the_five_domains_are_seeded():
    assert list(OutcomeDomain.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_adding_an_indicator_records_one_event(indicator, venture):
    event = Event.objects.filter(kind__startswith="outcomes.").get()
    assert event.kind == "outcomes.indicator_added"
    assert event.venture_id == venture.pk
    assert event.data["target"] == "120"


def test_progress_from_baseline_to_target(entrepreneur, indicator):
    record(entrepreneur, indicator, datetime.date(2026, 1, 5), "45")
    record(entrepreneur, indicator, datetime.date(2026, 2, 5), "70")
    progress = indicator_progress(
        indicator=indicator_list_for_venture(venture=indicator.venture)[0]
    )
    assert progress.latest.value == Decimal("70")
    assert progress.percent == 50
    assert progress.on_target is False


def test_lower_is_better_indicators_reach_their_target_going_down(seir, venture, domain):
    admissions = services.indicator_add(
        actor=seir,
        venture=venture,
        domain=domain,
        name="Emergency admissions",
        unit="admissions",
        baseline=Decimal("40"),
        target=Decimal("30"),
        direction="down",
    )
    record(seir, admissions, datetime.date(2026, 3, 1), "28")
    (listed,) = [
        i for i in indicator_list_for_venture(venture=admissions.venture) if i.pk == admissions.pk
    ]
    progress = indicator_progress(indicator=listed)
    assert (progress.percent, progress.on_target) == (120, True)


def test_one_measurement_per_date_and_a_clear_message_for_the_second(entrepreneur, indicator):
    record(entrepreneur, indicator, datetime.date(2026, 1, 5), "45")
    with pytest.raises(ValidationError) as error:
        record(entrepreneur, indicator, datetime.date(2026, 1, 5), "46")
    assert error.value.message_dict == {
        "measured_on": [
            "There is already a measurement for 5 January 2026 (45 people). Correct that one instead."
        ]
    }
    assert Measurement.objects.get().value == Decimal("45")


def test_a_future_measurement_is_refused(entrepreneur, indicator):
    with pytest.raises(ValidationError):
        record(entrepreneur, indicator, datetime.date.today() + datetime.timedelta(days=2), "1")
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("typed", ["0206-01-05", "1999-12-31"])
def test_a_mistyped_year_before_2000_is_refused_beside_the_date(
    client, entrepreneur, venture, indicator, typed
):
    client.force_login(entrepreneur)
    url = reverse("outcomes:measurement_add", args=[venture.pk, indicator.pk])
    response = client.post(
        url, {f"i{indicator.pk}-measured_on": typed, f"i{indicator.pk}-value": "3"}
    )
    assert response.status_code == 400
    assert "Enter a date from 2000 on." in response.content.decode()
    assert Measurement.objects.count() == 0
    # the first day allowed is recorded
    record(entrepreneur, indicator, datetime.date(2000, 1, 1), "3")
    assert list(Measurement.objects.values_list("measured_on", flat=True)) == [
        datetime.date(2000, 1, 1)
    ]


def test_a_correction_keeps_the_old_value_in_the_event(entrepreneur, indicator):
    measurement = record(entrepreneur, indicator, datetime.date(2026, 1, 5), "45")
    services.measurement_correct(actor=entrepreneur, measurement=measurement, value=Decimal("54"))
    assert Measurement.objects.get().value == Decimal("54")
    event = (
        Event.objects.filter(kind__startswith="outcomes.")
        .filter(kind="outcomes.measurement_corrected")
        .get()
    )
    assert (event.data["old"], event.data["new"]) == ("45", "54")


@pytest.mark.parametrize("who", ["manager", "other_entrepreneur", "commissioner"])
def test_only_the_team_and_staff_record(request, who, indicator):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), indicator, datetime.date(2026, 1, 5), "1")
    assert Measurement.objects.count() == 0


def test_the_tab_shows_the_chart_and_its_table(client, manager, entrepreneur, indicator, venture):
    record(entrepreneur, indicator, datetime.date(2026, 1, 5), "45.5")
    client.force_login(manager)
    page = client.get(reverse("outcomes:venture", args=[venture.pk])).content.decode()
    assert f'id="chart-{indicator.pk}"' in page
    assert "<caption>Women taking part each month (people) by date</caption>" in page
    assert '<td class="text-end">45.50</td>' in page
    assert '<td class="text-end">120</td>' in page  # the target, never 1.2E+2
    assert '"values": [45.5]' in page
    assert "Record a measurement" not in page  # managers read only


@pytest.mark.parametrize("who", ["other_entrepreneur", "commissioner", "other_seir"])
def test_outsiders_get_404(request, client, who, venture, indicator):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("outcomes:venture", args=[venture.pk])).status_code == 404
    url = reverse("outcomes:measurement_add", args=[venture.pk, indicator.pk])
    assert (
        client.post(
            url, {f"i{indicator.pk}-measured_on": "2026-01-05", f"i{indicator.pk}-value": "3"}
        ).status_code
        == 404
    )
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("value", ["99999999999999999999", "NaN", "1e400", "-"])
def test_hostile_values_get_a_form_error_not_a_500(client, entrepreneur, venture, indicator, value):
    client.force_login(entrepreneur)
    url = reverse("outcomes:measurement_add", args=[venture.pk, indicator.pk])
    response = client.post(
        url, {f"i{indicator.pk}-measured_on": "2026-01-05", f"i{indicator.pk}-value": value}
    )
    assert response.status_code == 400
    assert "was not recorded" in response.content.decode()
    assert Measurement.objects.count() == 0


def test_a_team_member_adds_an_indicator_through_the_page(client, entrepreneur, venture, domain):
    client.force_login(entrepreneur)
    response = client.post(
        reverse("outcomes:indicator_add", args=[venture.pk]),
        {
            "name": "Volunteers",
            "domain": domain.pk,
            "unit": "people",
            "baseline": "0",
            "target": "15",
            "direction": "up",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get().name == "Volunteers"


def test_the_tab_query_count_does_not_grow(client, seir, entrepreneur, venture, indicator, domain):
    client.force_login(seir)
    url = reverse("outcomes:venture", args=[venture.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(8):
        extra = services.indicator_add(
            actor=seir,
            venture=venture,
            domain=domain,
            name=f"Indicator {n}",
            unit="people",
            baseline=Decimal(0),
            target=Decimal(10),
        )
        for day in range(1, 6):
            record(entrepreneur, extra, datetime.date(2026, 1, day), str(day))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
    # Session, user, venture, memberships, the indicators and their measurements: the
    # domain select's choices are cached reference data.
    assert len(small) == 6


def test_a_domain_retired_is_no_longer_offered_on_the_next_visit(client, seir, venture):
    client.force_login(seir)
    url = reverse("outcomes:venture", args=[venture.pk])
    domain = OutcomeDomain.objects.get(number=3)
    assert f'<option value="{domain.pk}">' in client.get(url).content.decode()

    domain.is_active = False
    domain.save()

    page = client.get(url).content.decode()
    assert f'<option value="{domain.pk}"' not in page
    assert f'<option value="{OutcomeDomain.objects.get(number=2).pk}">' in page
