"""A refused funding form is shown again with what was typed, its errors beside the
fields and status 400, and the database as it was (the house rule: nothing lost)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from funding import services
from funding.models import Fund, FundingApplication
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Every row a status change could write."""
    return (
        list(FundingApplication.objects.order_by("pk").values()),
        list(Event.objects.order_by("pk").values("pk", "kind", "data")),
    )


@pytest.fixture
def submitted(seir, venture):
    """A submitted SEIF application (the fund gives at most £20,000)."""
    application = services.application_create(
        actor=seir,
        venture=venture,
        fund=Fund.objects.get(code="seif"),
        purpose="Coaches for the first year",
        amount_requested=Decimal("15000.00"),
    )
    return services.application_set_status(
        actor=seir, application=application, to_status="submitted"
    )


def status_form(client, application):
    page = client.get(reverse("funding:venture", args=[application.venture_id])).content
    return page_form(page, containing=f"a{application.pk}-to_status")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Enter an amount in pounds, such as 1250 or £1,250.50."),  # refused by the form
        ("25000.00", "(SEIF) gives at most £20,000.00 to one application."),  # the service
    ],
)
def test_a_refused_status_change_keeps_what_was_typed(seir, submitted, amount, message):
    # given: the status form as the tab shows it
    client = client_for(seir)
    form = status_form(client, submitted)
    prefix = f"a{submitted.pk}-"
    before = snapshot()

    # when: an award with a bad amount and a note is saved
    response = client.post(
        form.action,
        {
            **form.values,
            prefix + "to_status": "awarded",
            prefix + "on": "2026-02-03",
            prefix + "amount_awarded": amount,
            prefix + "note": "Panel met on Tuesday",
        },
    )

    # then: the tab again, the form open with the error beside the amount, nothing saved
    assert response.status_code == 400
    assert response.templates[0].name == "funding/venture_funding.html"
    page = response.content.decode()
    shown = page_form(page, containing=prefix + "to_status")
    assert shown.action == form.action
    assert shown.values[prefix + "note"] == "Panel met on Tuesday"
    assert shown.values[prefix + "amount_awarded"] == amount
    assert shown.values[prefix + "on"] == "2026-02-03"
    assert shown.values[prefix + "to_status"] == "awarded"
    assert f'id="error_1_id_{prefix}amount_awarded"' in page
    assert message in page
    assert "<details open>" in page
    assert texts(response) == ["The status was not changed: see the application below."]
    assert snapshot() == before


def test_a_status_change_from_a_stale_page_says_why_and_keeps_the_note(seir, submitted):
    # given: the form shown while the application was submitted; then someone moves it on
    client = client_for(seir)
    form = status_form(client, submitted)
    prefix = f"a{submitted.pk}-"
    services.application_set_status(actor=seir, application=submitted, to_status="under_review")
    before = snapshot()

    # when: the stale form is sent
    response = client.post(
        form.action,
        {**form.values, prefix + "to_status": "withdrawn", prefix + "note": "They asked us to"},
    )

    # then: the reason, the note kept, nothing changed; the form now expects the status
    # shown, so sending it again is a choice made having seen the change
    assert response.status_code == 400
    page = response.content.decode()
    assert "This application is already under review: someone changed it since" in page
    shown = page_form(page, containing=prefix + "to_status")
    assert shown.values[prefix + "note"] == "They asked us to"
    assert shown.values[prefix + "expected_status"] == "under_review"
    assert snapshot() == before

    again = client.post(shown.action, {**shown.values, prefix + "to_status": "withdrawn"})
    assert again.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


def test_a_refused_status_change_bypasses_the_page_cache(seir, submitted):
    # given: the plain tab, rendered and cached
    client = client_for(seir)
    form = status_form(client, submitted)
    prefix = f"a{submitted.pk}-"
    url = reverse("funding:venture", args=[submitted.venture_id])

    # when: a refused change, then the plain tab again
    refused = client.post(
        form.action,
        {**form.values, prefix + "to_status": "awarded", prefix + "note": "Typed once"},
    )
    plain = client.get(url)

    # then: the refusal is rendered afresh; the cached tab never shows it
    assert refused.status_code == 400
    assert "Typed once" in refused.content.decode()
    assert "Give the amount awarded." in refused.content.decode()
    assert plain.status_code == 200
    assert "Typed once" not in plain.content.decode()
    assert "Give the amount awarded." not in plain.content.decode()


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "The date cannot be in the future."), (None, "Enter a date from 2000 on.")],
)
def test_a_status_date_in_the_future_or_before_2000_is_refused(seir, submitted, days, message):
    # given: the status form of a submitted application
    client = client_for(seir)
    form = status_form(client, submitted)
    prefix = f"a{submitted.pk}-"
    today = timezone.localdate()
    typed = "0001-01-01" if days is None else (today + datetime.timedelta(days=days)).isoformat()
    before = snapshot()

    # when: a decision is recorded on that date
    response = client.post(
        form.action, {**form.values, prefix + "to_status": "declined", prefix + "on": typed}
    )

    # then: the reason beside the date, nothing written
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert page_form(page, containing=prefix + "to_status").values[prefix + "on"] == typed
    assert snapshot() == before

    # and today is still a date it can be decided on
    again = client.post(form.action, {**form.values, prefix + "to_status": "declined"})
    assert again.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_date) == ("declined", today)
