"""An indicator's target lies on the better side of its baseline: an indicator whose
target is below its baseline while "higher is better" (the default) said "Target
reached" as soon as anything was measured, even a value worse than the baseline, and an
indicator cannot be edited afterwards."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import Event
from outcomes import services
from outcomes.models import Indicator, OutcomeDomain
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def domain():
    return OutcomeDomain.objects.get(number=3)


def add(actor, venture, domain, *, baseline, target, direction="up"):
    return services.indicator_add(
        actor=actor,
        venture=venture,
        domain=domain,
        name="Emergency admissions",
        unit="admissions",
        baseline=Decimal(baseline),
        target=Decimal(target),
        direction=direction,
    )


@pytest.mark.parametrize(
    "baseline, target, direction, message",
    [
        ("120", "80", "up", "With “Higher is better” the target must not be below the baseline"),
        ("20", "30", "down", "With “Lower is better” the target must not be above the baseline"),
    ],
)
def test_a_target_on_the_worse_side_of_the_baseline_is_refused(
    entrepreneur, venture, domain, baseline, target, direction, message
):
    with pytest.raises(ValidationError) as refused:
        add(entrepreneur, venture, domain, baseline=baseline, target=target, direction=direction)

    assert list(refused.value.message_dict) == ["target"]
    assert refused.value.message_dict["target"][0].startswith(message)
    assert Indicator.objects.count() == 0
    assert not Event.objects.filter(kind__startswith="outcomes.").exists()


@pytest.mark.parametrize(
    "baseline, target, direction",
    [("120", "80", "down"), ("20", "30", "up"), ("41", "41", "up"), ("41", "41", "down")],
)
def test_a_target_on_the_better_side_or_at_the_baseline_is_kept(
    entrepreneur, venture, domain, baseline, target, direction
):
    indicator = add(
        entrepreneur, venture, domain, baseline=baseline, target=target, direction=direction
    )

    assert (indicator.baseline, indicator.target, indicator.direction) == (
        Decimal(baseline),
        Decimal(target),
        direction,
    )


def test_the_page_refuses_it_beside_the_target_and_keeps_what_was_typed(
    client, entrepreneur, venture, domain
):
    client.force_login(entrepreneur)
    tab = client.get(reverse("outcomes:venture", args=[venture.pk]))
    form = page_form(tab.content, containing="baseline")
    data = {
        **form.values,
        "name": "Emergency admissions",
        "domain": str(domain.pk),
        "unit": "admissions",
        "baseline": "120",
        "target": "80",
        "description": "Fewer admissions for COPD",
    }
    assert data["direction"] == "up"  # the default, left alone

    response = client.post(form.action, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The indicator was not added" in page
    target_error = page.split('id="id_target_error"', 1)[1].split("</div>", 1)[0]
    assert "the target must not be below the baseline" in target_error
    shown = page_form(response.content, containing="baseline")
    assert (shown.values["name"], shown.values["baseline"], shown.values["target"]) == (
        "Emergency admissions",
        "120",
        "80",
    )
    assert Indicator.objects.count() == 0

    corrected = client.post(form.action, {**shown.values, "direction": "down"})

    assert corrected.status_code == 302
    assert list(Indicator.objects.values_list("direction", "target")) == [("down", 80)]


def test_an_unknown_direction_is_refused_beside_the_direction(entrepreneur, venture, domain):
    with pytest.raises(ValidationError) as refused:
        add(entrepreneur, venture, domain, baseline="120", target="80", direction="sideways")

    assert list(refused.value.message_dict) == ["direction"]
    assert Indicator.objects.count() == 0
