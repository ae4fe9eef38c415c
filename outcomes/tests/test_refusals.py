"""A refused outcomes form is shown again with what was typed, its errors beside the
fields and status 400, and the database as it was (the house rule: nothing lost)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from events.models import Event
from outcomes import services
from outcomes.models import Indicator, Measurement, OutcomeDomain
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Every row a correction could write."""
    return (
        list(Measurement.objects.order_by("pk").values()),
        list(Event.objects.order_by("pk").values("pk", "kind", "data")),
    )


@pytest.fixture
def measurement(entrepreneur, venture):
    indicator = services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=2),
        name="Women taking part each month",
        unit="people",
        baseline=Decimal("20"),
        target=Decimal("120"),
    )
    return services.measurement_record(
        actor=entrepreneur,
        indicator=indicator,
        measured_on=datetime.date(2026, 1, 5),
        value=Decimal("45"),
        note="From the register",
    )


def correction_form(client, measurement):
    page = client.get(reverse("outcomes:venture", args=[measurement.indicator.venture_id]))
    return page_form(page.content, containing=f"m{measurement.pk}-value")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Enter a number, such as 12 or 1,250.5."),  # refused by the form
        ("99999999999999999999", "Ensure that there are no more than"),
        ("", "This field is required."),
    ],
)
def test_a_refused_correction_keeps_what_was_typed(entrepreneur, measurement, value, message):
    # given: the correction form as the tab shows it
    client = client_for(entrepreneur)
    form = correction_form(client, measurement)
    prefix = f"m{measurement.pk}-"
    before = snapshot()

    # when: a bad value is sent with a new note
    response = client.post(
        form.action, {**form.values, prefix + "value": value, prefix + "note": "Recounted twice"}
    )

    # then: the tab again, this correction open with the error beside the value
    assert response.status_code == 400
    page = response.content.decode()
    shown = page_form(page, containing=prefix + "value")
    assert shown.action == form.action
    assert shown.values == {
        "csrfmiddlewaretoken": shown.values["csrfmiddlewaretoken"],
        prefix + "was_value": "45.00",
        prefix + "was_note": "From the register",
        prefix + "value": value,
        prefix + "note": "Recounted twice",
    }
    assert f'aria-describedby="{prefix}value-error"' in page
    error = page.split(f'id="{prefix}value-error">', 1)[1].split("</div>", 1)[0]
    assert message in error
    assert texts(response) == ["The measurement for 5 January 2026 was not corrected: see below."]
    assert snapshot() == before


def test_a_note_too_long_is_refused_beside_the_note(entrepreneur, measurement):
    client = client_for(entrepreneur)
    form = correction_form(client, measurement)
    prefix = f"m{measurement.pk}-"
    before = snapshot()

    response = client.post(
        form.action, {**form.values, prefix + "value": "54", prefix + "note": "x" * 301}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert page_form(page, containing=prefix + "value").values[prefix + "value"] == "54"
    assert f'id="{prefix}note-error">Ensure this value has at most 300 characters' in page
    assert snapshot() == before


def test_a_refused_correction_bypasses_the_page_cache(entrepreneur, measurement):
    # given: the plain tab, rendered and cached
    client = client_for(entrepreneur)
    form = correction_form(client, measurement)
    prefix = f"m{measurement.pk}-"

    # when: a refused correction, then the plain tab again
    refused = client.post(
        form.action, {**form.values, prefix + "value": "abc", prefix + "note": "Typed once"}
    )
    plain = client.get(reverse("outcomes:venture", args=[measurement.indicator.venture_id]))

    # then: the refusal is rendered afresh; the cached tab never shows it
    assert refused.status_code == 400
    assert "Typed once" in refused.content.decode()
    assert plain.status_code == 200
    assert "Typed once" not in plain.content.decode()
    assert page_form(plain.content, containing=prefix + "value").values[prefix + "note"] == (
        "From the register"
    )


def test_a_correction_still_saves_and_redirects(entrepreneur, measurement):
    client = client_for(entrepreneur)
    form = correction_form(client, measurement)
    prefix = f"m{measurement.pk}-"

    response = client.post(form.action, {**form.values, prefix + "value": "54"})

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("outcomes:venture", args=[measurement.indicator.venture_id])
        + f"#ind-{measurement.indicator_id}"
    )
    assert Measurement.objects.get().value == Decimal("54")
    assert Indicator.objects.count() == 1


def test_a_correction_from_a_stale_page_is_refused_and_keeps_the_newer_one(
    entrepreneur, seir, measurement
):
    # given: two people open the tab showing 45; the SEiR corrects it to 47
    client = client_for(entrepreneur)
    form = correction_form(client, measurement)
    prefix = f"m{measurement.pk}-"
    stale = {**form.values, prefix + "value": "46", prefix + "note": "Recounted"}
    services.measurement_correct(actor=seir, measurement=measurement, value=Decimal("47"))
    before = snapshot()

    # when: the entrepreneur sends their correction from the page showing 45
    response = client.post(form.action, stale)

    # then: refused with the reason, their input kept, the SEiR's 47 stands
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Someone else corrected this measurement to 47 people while you were correcting it; "
        "yours was not saved. Save again to replace it."
    ) in page
    shown = page_form(page, containing=prefix + "value")
    assert (shown.values[prefix + "value"], shown.values[prefix + "note"]) == ("46", "Recounted")
    assert snapshot() == before

    # and sending it again, having seen 47, replaces it
    assert client.post(shown.action, shown.values).status_code == 302
    assert Measurement.objects.get().value == Decimal("46")


def test_the_same_correction_sent_twice_is_saved_once(entrepreneur, measurement):
    client = client_for(entrepreneur)
    form = correction_form(client, measurement)
    data = {**form.values, f"m{measurement.pk}-value": "50"}
    assert client.post(form.action, data).status_code == 302
    before = snapshot()

    assert client.post(form.action, data).status_code == 302
    assert snapshot() == before
    assert Measurement.objects.get().value == Decimal("50")
