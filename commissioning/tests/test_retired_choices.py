"""What a venture works on keeps a service area or domain retired since it was chosen,
until someone unticks it; a retired one is not chosen afresh.

Each test submits the focus form exactly as the tab rendered it, with one choice changed,
the way a person in a browser would.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from commissioning import services
from commissioning.models import VentureFocus
from events.models import Event
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def retire(record) -> None:
    record.is_active = False
    record.save(update_fields=["is_active"])


def boxes(html: str, name: str) -> dict[str, tuple[str, bool]]:
    """The checkboxes named ``name`` the page shows: value -> (label, ticked)."""
    found = {}
    for box in re.finditer(rf'<input type="checkbox"[^>]*name="{name}"[^>]*>', html):
        attrs = box.group(0)
        value = re.search(r'value="(\d+)"', attrs).group(1)
        input_id = re.search(r'id="([^"]+)"', attrs).group(1)
        label = re.search(rf'<label[^>]*for="{input_id}"[^>]*>\s*(.*?)\s*</label>', html, re.S)
        found[value] = (re.sub(r"<[^>]+>", "", label.group(1)).strip(), "checked" in attrs)
    return found


def focus_of(venture) -> tuple[list[int], list[str]]:
    focus = VentureFocus.objects.get(venture=venture)
    return (
        sorted(focus.domains.values_list("number", flat=True)),
        sorted(focus.service_areas.values_list("code", flat=True)),
    )


def focus_events(venture) -> list[dict]:
    return list(
        Event.objects.filter(kind="commissioning.focus_updated", venture_id=venture.pk)
        .order_by("id")
        .values_list("data", flat=True)
    )


def test_a_retired_service_area_is_shown_ticked_and_kept_when_a_domain_is_added(
    seir, venture, domains, areas
):
    # given: the venture works on mental health, then that service area is retired
    mental_health = areas["mental-health"]
    services.venture_focus_set(
        actor=seir, venture=venture, domains=[domains[2]], service_areas=[mental_health]
    )
    retire(mental_health)
    Event.objects.all().delete()
    client = client_for(seir)
    tab = client.get(reverse("commissioning:venture_tab", args=[venture.pk])).content.decode()

    # when: the SEiR ticks one more domain and saves
    form = page_form(tab, containing="domains")
    response = client.post(
        reverse("commissioning:focus", args=[venture.pk]),
        form.post_data(domains=[str(domains[2].pk), str(domains[3].pk)]),
    )

    # then: the area was shown ticked and marked retired, and is kept; the history names
    # only the domains
    assert boxes(tab, "service_areas")[str(mental_health.pk)] == (
        f"{mental_health.name} (retired)",
        True,
    )
    assert response.status_code == 302
    assert focus_of(venture) == ([2, 3], ["mental-health"])
    assert focus_events(venture) == [{"domains": [str(domains[2]), str(domains[3])]}]
    activity = client.get(reverse("ventures:activity", args=[venture.pk])).content.decode()
    entry = f'<span class="event-title">Commissioning focus set</span>: {domains[2]}; {domains[3]}'
    assert re.search(re.escape(entry) + r"\s*<", activity)  # the entry ends there


def test_a_retired_domain_can_be_taken_off(seir, venture, domains):
    # given: the venture's domain 2 was retired
    services.venture_focus_set(actor=seir, venture=venture, domains=[domains[2]], service_areas=[])
    retire(domains[2])
    Event.objects.all().delete()
    client = client_for(seir)

    # when: the SEiR unticks it
    tab = client.get(reverse("commissioning:venture_tab", args=[venture.pk])).content
    form = page_form(tab, containing="domains")
    response = client.post(
        reverse("commissioning:focus", args=[venture.pk]), form.post_data(domains=[])
    )

    # then
    assert response.status_code == 302
    assert focus_of(venture) == ([], [])
    assert focus_events(venture) == [{"domains": []}]


def test_a_retired_service_area_is_not_chosen_for_a_venture_that_did_not_have_it(
    seir, venture, other_venture, domains, areas
):
    # given: mental health is retired; another venture still works on it, this one never did
    mental_health = areas["mental-health"]
    services.venture_focus_set(
        actor=seir, venture=other_venture, domains=[], service_areas=[mental_health]
    )
    services.venture_focus_set(actor=seir, venture=venture, domains=[domains[2]], service_areas=[])
    retire(mental_health)
    Event.objects.all().delete()
    client = client_for(seir)

    # when: the SEiR opens this venture's tab, then sends the retired area anyway
    tab = client.get(reverse("commissioning:venture_tab", args=[venture.pk])).content.decode()
    form = page_form(tab, containing="domains")
    response = client.post(
        reverse("commissioning:focus", args=[venture.pk]),
        form.post_data(service_areas=[str(mental_health.pk)]),
    )

    # then: it was not offered, is refused with a message, and nothing is saved
    assert str(mental_health.pk) not in boxes(tab, "service_areas")
    assert response.status_code == 400
    assert (
        f"Select a valid choice. {mental_health.pk} is not one of the available choices."
        in response.content.decode()
    )
    assert focus_of(venture) == ([2], [])
    assert focus_events(venture) == []
