"""A link longer than the field holds is refused for its length: past 2,048 characters
Django's URL check called it "Enter a valid URL." as well, a message about a link that
may be perfectly well formed."""

import pytest
from django.urls import reverse

from checklists.models import Evidence
from events.models import Event
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def link_of(length: int) -> str:
    start = "https://example.org/"
    return start + "a" * (length - len(start))


@pytest.mark.parametrize("length", [2001, 2049, 5000])
def test_a_link_too_long_gets_the_length_message_and_keeps_what_was_typed(
    client, item, entrepreneur, length
):
    # given: the team on the item's page
    client.force_login(entrepreneur)
    url = reverse("checklists:evidence_link", args=[item.pk])
    before = (Evidence.objects.count(), Event.objects.count())

    # when: a link longer than 2,000 characters is sent with a title
    response = client.post(url, {"link-url": link_of(length), "link-title": "Minutes"})

    # then: only the length is named, nothing is saved, and the form keeps the typing
    assert response.status_code == 200
    assert response.context["link_form"].errors == {
        "url": [f"Ensure this value has at most 2000 characters (it has {length})."]
    }
    assert "Enter a valid URL." not in response.content.decode()
    shown = page_form(response.content, containing="link-url")
    assert (shown.values["link-url"], shown.values["link-title"]) == (link_of(length), "Minutes")
    assert (Evidence.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize("length", [30, 2000])
def test_a_link_within_the_limit_is_added(client, item, entrepreneur, length):
    client.force_login(entrepreneur)
    url = reverse("checklists:evidence_link", args=[item.pk])

    response = client.post(url, {"link-url": link_of(length), "link-title": "Minutes"})

    assert response.status_code == 302
    assert list(Evidence.objects.filter(item=item).values_list("url", "title")) == [
        (link_of(length), "Minutes")
    ]
