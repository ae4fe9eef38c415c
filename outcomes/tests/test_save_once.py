"""The add-an-indicator and record-a-measurement forms save once, however often the
rendered form is posted."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from events.models import Event
from outcomes import services
from outcomes.models import Indicator, Measurement, OutcomeDomain
from submissions.models import SubmissionToken
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

ALREADY = "That was already saved: it is shown below. Nothing was saved twice."


def tab(client, venture):
    return client.get(reverse("outcomes:venture", args=[venture.pk])).content


@pytest.fixture
def indicator(entrepreneur, venture):
    return services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=2),
        name="Women taking part each month",
        unit="people",
        baseline=Decimal("20"),
        target=Decimal("120"),
    )


def indicator_data(form, **overrides) -> dict:
    return {
        **form.values,
        "name": "Volunteers",
        "domain": OutcomeDomain.objects.get(number=2).pk,
        "unit": "people",
        "baseline": "0",
        "target": "15",
        **overrides,
    }


def test_the_same_indicator_form_posted_twice_adds_one(entrepreneur, venture):
    client = client_for(entrepreneur)
    form = page_form(tab(client, venture), containing="baseline")
    assert form.values["submission_token"]

    first = client.post(form.action, indicator_data(form))
    second = client.post(form.action, indicator_data(form))

    indicator = Indicator.objects.get()
    where = reverse("outcomes:venture", args=[venture.pk]) + f"#ind-{indicator.pk}"
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == where
    assert texts(second)[-1] == ALREADY
    assert Event.objects.filter(kind="outcomes.indicator_added").count() == 1


def test_a_refused_indicator_leaves_the_token_for_the_corrected_form(entrepreneur, venture):
    client = client_for(entrepreneur)
    form = page_form(tab(client, venture), containing="baseline")
    refused = client.post(form.action, indicator_data(form, baseline="abc"))
    assert refused.status_code == 400
    assert SubmissionToken.objects.count() == 0
    shown = page_form(refused.content, containing="baseline")
    assert shown.values["submission_token"] == form.values["submission_token"]
    assert shown.values["baseline"] == "abc"

    saved = client.post(form.action, indicator_data(shown, baseline="2"))

    assert saved.status_code == 302
    assert texts(saved)[-1] == "Indicator “Volunteers” added."
    assert list(Indicator.objects.values_list("name", "baseline")) == [("Volunteers", 2)]


def test_the_same_measurement_form_posted_twice_records_one(entrepreneur, venture, indicator):
    client = client_for(entrepreneur)
    prefix = f"i{indicator.pk}-"
    form = page_form(tab(client, venture), containing=prefix + "value")
    assert form.values[prefix + "submission_token"]
    data = {**form.values, prefix + "measured_on": "2026-01-05", prefix + "value": "45"}

    first = client.post(form.action, data)
    second = client.post(form.action, {**data, prefix + "value": "46"})

    where = reverse("outcomes:venture", args=[venture.pk]) + f"#ind-{indicator.pk}"
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == where
    assert texts(second)[-1] == ALREADY
    assert list(Measurement.objects.values_list("measured_on", "value")) == [
        (datetime.date(2026, 1, 5), 45)
    ]


def test_a_refused_measurement_leaves_the_token_for_the_corrected_form(
    entrepreneur, venture, indicator
):
    client = client_for(entrepreneur)
    prefix = f"i{indicator.pk}-"
    form = page_form(tab(client, venture), containing=prefix + "value")
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    refused = client.post(
        form.action, {**form.values, prefix + "measured_on": future, prefix + "value": "45"}
    )
    assert refused.status_code == 400
    assert "A measurement cannot be in the future." in refused.content.decode()
    assert SubmissionToken.objects.count() == 0
    assert Measurement.objects.count() == 0

    saved = client.post(
        form.action, {**form.values, prefix + "measured_on": "2026-01-05", prefix + "value": "45"}
    )

    assert saved.status_code == 302
    assert texts(saved)[-1] == "Measurement recorded for “Women taking part each month”."
    assert Measurement.objects.count() == 1


def test_each_indicator_form_on_a_cached_tab_has_its_own_token(entrepreneur, venture, indicator):
    client = client_for(entrepreneur)
    prefix = f"i{indicator.pk}-"
    client.get(reverse("outcomes:venture", args=[venture.pk]))  # cached now
    first = page_form(tab(client, venture), containing=prefix + "value")
    second = page_form(tab(client, venture), containing=prefix + "value")

    assert first.values[prefix + "submission_token"] != second.values[prefix + "submission_token"]
