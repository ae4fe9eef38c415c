"""A funding deadline with a mistyped year (0226 for 2026, 20266) is refused beside the
deadline with what was typed kept: it was saved as the year 226, so the deadline
reminder and the calendar never showed it and the tab read "1 Mar 0226"."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from events.models import Event
from funding import services
from funding.models import Fund, FundingApplication
from tests.clients import client_for
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

MESSAGE = "Give a deadline between 2000 and 2100."


def snapshot() -> tuple:
    return (
        list(FundingApplication.objects.order_by("pk").values()),
        list(Event.objects.order_by("pk").values("pk", "kind", "data")),
    )


def add_form(client, venture):
    tab = client.get(reverse("funding:venture", args=[venture.pk]))
    return page_form(tab.content, containing="amount_requested")


@pytest.mark.parametrize("typed", ["0226-03-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_an_application_with_a_deadline_out_of_range_is_refused(entrepreneur, venture, typed):
    # given: the team's add form, filled in
    client = client_for(entrepreneur)
    form = add_form(client, venture)
    data = {
        **form.values,
        "fund": str(Fund.objects.get(code="seif").pk),
        "purpose": "Coaches for the first year",
        "amount_requested": "15000.00",
        "deadline": typed,
    }

    # when: it is sent with a deadline out of range
    response = client.post(form.action, data)

    # then: refused beside the deadline, what was typed kept, nothing written
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page.split('id="id_deadline_error"', 1)[1].split("</div>", 1)[0]
    shown = page_form(page, containing="amount_requested")
    assert (shown.values["deadline"], shown.values["purpose"]) == (
        typed,
        "Coaches for the first year",
    )
    assert FundingApplication.objects.count() == 0

    # and the corrected form saves once
    again = client.post(form.action, {**shown.values, "deadline": "2026-03-01"})
    assert again.status_code == 302
    assert list(FundingApplication.objects.values_list("deadline", flat=True)) == [
        datetime.date(2026, 3, 1)
    ]


def test_a_past_deadline_in_range_is_kept(entrepreneur, venture):
    application = services.application_create(
        actor=entrepreneur,
        venture=venture,
        fund=Fund.objects.get(code="rif"),
        purpose="Recorded after the event",
        amount_requested=Decimal("900.00"),
        deadline=datetime.date(2000, 1, 1),
    )
    assert application.deadline == datetime.date(2000, 1, 1)


def test_an_edit_to_a_deadline_out_of_range_is_refused_and_changes_nothing(entrepreneur, venture):
    application = services.application_create(
        actor=entrepreneur,
        venture=venture,
        fund=Fund.objects.get(code="rif"),
        purpose="Pilot",
        amount_requested=Decimal("2500.00"),
        deadline=datetime.date(2026, 3, 1),
    )
    client = client_for(entrepreneur)
    url = reverse("funding:edit", args=[application.pk])
    form = page_form(client.get(url).content, containing="amount_requested")
    before = snapshot()

    response = client.post(url, {**form.values, "deadline": "0226-03-01", "notes": "Typed"})

    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    assert page_form(page, containing="amount_requested").values["notes"] == "Typed"
    assert snapshot() == before
