"""Funding pages over HTTP: who may see and change what, bad input, query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding import services
from funding.models import Fund, FundingApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(seir, venture):
    return services.application_create(
        actor=seir,
        venture=venture,
        fund=Fund.objects.get(code="rif"),
        purpose="Pilot",
        amount_requested=Decimal("2500.00"),
    )


def form_data(**overrides):
    data = {
        "fund": Fund.objects.get(code="seif").pk,
        "funding_type": "grant",
        "purpose": "Coaches for the first year",
        "amount_requested": "15000.00",
        "deadline": "",
        "notes": "",
        "documents": "",
    }
    data.update(overrides)
    return data


def test_the_team_adds_an_application_from_the_tab(client, entrepreneur, venture):
    client.force_login(entrepreneur)
    response = client.post(reverse("funding:add", args=[venture.pk]), form_data())
    application = FundingApplication.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("funding:venture", args=[venture.pk]) + f"#app-{application.pk}"
    )
    assert application.amount_requested == Decimal("15000.00")
    page = client.get(reverse("funding:venture", args=[venture.pk])).content.decode()
    assert "Coaches for the first year" in page
    assert ">Funding</a>" in page  # the tab


def test_an_amount_typed_as_people_write_it_is_read(client, entrepreneur, venture):
    """A number input sent nothing for "£15,000" (Firefox), and the page said "This field
    is required." beside it: the amount is a text input now, read as people write it."""
    client.force_login(entrepreneur)
    page = client.get(reverse("funding:venture", args=[venture.pk])).content.decode()
    assert 'name="amount_requested"' in page and 'inputmode="decimal"' in page
    assert 'type="number"' not in page

    client.post(reverse("funding:add", args=[venture.pk]), form_data(amount_requested="£15,000"))

    assert FundingApplication.objects.get().amount_requested == Decimal("15000.00")


def test_a_refused_amount_stays_as_typed(client, entrepreneur, venture):
    client.force_login(entrepreneur)
    response = client.post(
        reverse("funding:add", args=[venture.pk]), form_data(amount_requested="£15,00")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter an amount in pounds, such as 1250 or £1,250.50." in html
    assert 'value="£15,00"' in html
    assert FundingApplication.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("99999999999999999999", "Ensure that there are no more than 10 digits in total."),
        ("-5", "Ensure this value is greater than or equal to 0.01."),
        ("abc", "Enter an amount in pounds, such as 1250 or £1,250.50."),
        ("1,00", "Enter an amount in pounds, such as 1250 or £1,250.50."),
        ("20000.01", "gives at most £20,000.00"),
    ],
)
def test_bad_amounts_get_a_clear_message_and_nothing_is_saved(
    client, entrepreneur, venture, amount, message
):
    client.force_login(entrepreneur)
    response = client.post(
        reverse("funding:add", args=[venture.pk]), form_data(amount_requested=amount)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FundingApplication.objects.count() == 0


@pytest.mark.parametrize("who", ["other_entrepreneur", "commissioner", "other_seir"])
def test_outsiders_get_404_on_every_funding_url(request, client, who, venture, application):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("funding:venture", args=[venture.pk])).status_code == 404
    assert client.post(reverse("funding:add", args=[venture.pk]), form_data()).status_code == 404
    assert client.get(reverse("funding:edit", args=[application.pk])).status_code == 404
    assert (
        client.post(
            reverse("funding:status", args=[application.pk]),
            {f"a{application.pk}-to_status": "submitted"},
        ).status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == "drafting"
    assert FundingApplication.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, venture):
    response = client.get(reverse("funding:venture", args=[venture.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_manager_reads_but_cannot_change(client, manager, venture, application):
    client.force_login(manager)
    page = client.get(reverse("funding:venture", args=[venture.pk]))
    assert page.status_code == 200
    assert "Add an application" not in page.content.decode()
    assert "Change status" not in page.content.decode()
    assert client.post(reverse("funding:add", args=[venture.pk]), form_data()).status_code == 403
    assert client.get(reverse("funding:edit", args=[application.pk])).status_code == 403
    assert FundingApplication.objects.count() == 1


def test_status_change_from_the_tab(client, seir, application):
    client.force_login(seir)
    prefix = f"a{application.pk}-"
    response = client.post(
        reverse("funding:status", args=[application.pk]),
        {prefix + "to_status": "submitted", prefix + "expected_status": "drafting"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    # the same (now stale) form posted again changes nothing and says why
    response = client.post(
        reverse("funding:status", args=[application.pk]),
        {prefix + "to_status": "submitted", prefix + "expected_status": "drafting"},
        follow=True,
    )
    assert "already submitted" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_retired_fund_stays_selected_and_unchanged_on_edit(client, entrepreneur, application):
    rif = application.fund
    rif.is_active = False
    rif.save()
    client.force_login(entrepreneur)
    page = client.get(reverse("funding:edit", args=[application.pk])).content.decode()
    assert (
        f'<option value="{rif.pk}" selected>Regional Innovation Fund (RIF) (retired)</option>'
        in page
    )
    response = client.post(
        reverse("funding:edit", args=[application.pk]),
        form_data(
            fund=rif.pk, amount_requested="2500.00", purpose="Pilot", notes="typo fixed", version=1
        ),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.fund, application.notes) == (rif, "typo fixed")


def test_programme_funding_page_for_staff_and_managers_only(
    client, seir, manager, entrepreneur, programme, application
):
    for user in (seir, manager):
        client.force_login(user)
        response = client.get(reverse("funding:programme"))
        assert response.status_code == 200
        assert "Regional Innovation Fund (RIF)" in response.content.decode()
    client.force_login(entrepreneur)
    assert client.get(reverse("funding:programme")).status_code == 404


def _more_applications(seir, venture, n):
    for _ in range(n):
        a = services.application_create(
            actor=seir,
            venture=venture,
            fund=Fund.objects.get(code="rif"),
            purpose="More",
            amount_requested=Decimal("10.00"),
        )
        services.application_set_status(actor=seir, application=a, to_status="submitted")


@pytest.mark.parametrize("url_name", ["funding:venture", "funding:programme"])
def test_query_counts_do_not_grow_with_the_data(
    client, seir, venture, application, django_assert_num_queries, url_name
):
    client.force_login(seir)
    url = reverse(url_name, args=[venture.pk] if url_name == "funding:venture" else [])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_applications(seir, venture, 15)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    if url_name == "funding:venture":
        # Session, user, venture, memberships, the applications and their documents: the
        # totals are worked out from the applications and the fund select's choices are
        # cached reference data.
        assert len(small) == 6
    else:
        assert len(small) <= 16


def test_a_read_only_grant_stops_at_the_profile(
    client, monkeypatch, commissioner, venture, application
):
    # given a commissioner granted read-only sight of the venture (as an introduction does)
    from ventures import permissions as venture_permissions
    from ventures.models import Venture

    monkeypatch.setattr(venture_permissions, "_read_only_visibility", [])
    venture_permissions.register_read_only_visibility(
        lambda user: Venture.objects.filter(pk=venture.pk).values("id")
    )
    client.force_login(commissioner)
    profile = client.get(reverse("ventures:detail", args=[venture.pk]))
    assert profile.status_code == 200
    assert ">Funding</a>" not in profile.content.decode()
    assert ">Outcomes</a>" not in profile.content.decode()
    # then neither funding nor outcomes open to them by URL
    assert client.get(reverse("funding:venture", args=[venture.pk])).status_code == 404
    assert client.get(reverse("funding:edit", args=[application.pk])).status_code == 404
    assert client.get(reverse("outcomes:venture", args=[venture.pk])).status_code == 404
