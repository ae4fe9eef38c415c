"""Issue 16, item 7: a team chooses, per indicator, to share it with the commissioners the
venture is introduced to: through the indicator form and a per-indicator switch on the tab,
by the people who may edit indicators, through a service with one event."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from events.models import Event
from outcomes import services
from outcomes.models import Indicator, OutcomeDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(entrepreneur, venture):
    return services.indicator_add(
        actor=entrepreneur,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=1),
        name="People served",
        unit="people",
        baseline=Decimal("0"),
        target=Decimal("100"),
    )


def test_an_indicator_is_not_shared_unless_the_team_chooses(indicator):
    assert indicator.shared_with_commissioners is False


def test_the_team_shares_an_indicator_from_the_tab_with_one_event(
    client, entrepreneur, venture, indicator
):
    client.force_login(entrepreneur)
    url = reverse("outcomes:indicator_share", args=[venture.pk, indicator.pk])

    response = client.post(url, {"shared": "on"}, follow=True)

    indicator.refresh_from_db()
    assert indicator.shared_with_commissioners is True
    assert (
        "“People served” is shared with the commissioners this venture is introduced to."
        in response.content.decode()
    )
    event = Event.objects.get(kind="outcomes.indicator_sharing_changed")
    assert event.data == {"name": "People served", "shared": True}
    assert f'id="share-{indicator.pk}" checked' in response.content.decode()

    # and unchecking the box (nothing posted) stops sharing
    client.post(url, {})
    indicator.refresh_from_db()
    assert indicator.shared_with_commissioners is False
    assert Event.objects.filter(kind="outcomes.indicator_sharing_changed").count() == 2


def test_saving_the_same_choice_writes_nothing(entrepreneur, indicator):
    services.indicator_share(actor=entrepreneur, indicator=indicator, shared=False)

    assert not Event.objects.filter(kind="outcomes.indicator_sharing_changed").exists()


def test_the_indicator_form_offers_sharing(client, entrepreneur, venture):
    client.force_login(entrepreneur)
    client.get(reverse("outcomes:venture", args=[venture.pk]))
    page = client.get(reverse("outcomes:venture", args=[venture.pk]))
    form = page.context["indicator_form"]
    token = form["submission_token"].value()

    client.post(
        reverse("outcomes:indicator_add", args=[venture.pk]),
        {
            "submission_token": token,
            "name": "Admissions avoided",
            "domain": OutcomeDomain.objects.get(number=1).pk,
            "unit": "admissions",
            "baseline": "10",
            "target": "2",
            "direction": "down",
            "shared_with_commissioners": "on",
        },
    )

    assert Indicator.objects.get(name="Admissions avoided").shared_with_commissioners is True


@pytest.mark.parametrize("who", ["manager", "other_entrepreneur"])
def test_who_may_not_edit_indicators_may_not_share_them(request, client, who, venture, indicator):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.indicator_share(actor=user, indicator=indicator, shared=True)
    client.force_login(user)
    response = client.post(
        reverse("outcomes:indicator_share", args=[venture.pk, indicator.pk]), {"shared": "on"}
    )

    assert response.status_code in (403, 404)
    indicator.refresh_from_db()
    assert indicator.shared_with_commissioners is False
    assert not Event.objects.filter(kind="outcomes.indicator_sharing_changed").exists()
