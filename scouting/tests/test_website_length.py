"""An organisation's website longer than the field holds is refused for its length: past
2,048 characters Django's URL check called it "Enter a valid URL." as well, a message
about a link that may be perfectly well formed."""

import pytest
from django.urls import reverse

from events.models import Event
from scouting.models import Organisation
from submissions.models import SubmissionToken
from tests.clients import client_for
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

LENGTHS = [301, 2001, 2049, 5000]


def link_of(length: int) -> str:
    start = "https://example.org/"
    return start + "a" * (length - len(start))


def too_long(length: int) -> list[str]:
    return [f"Ensure this value has at most 300 characters (it has {length})."]


def rendered(client, url: str):
    page = client.get(url)
    assert page.status_code == 200
    return page_form(page.content, containing="name")


@pytest.mark.parametrize("length", LENGTHS)
def test_adding_an_organisation_with_a_website_too_long_names_the_length(seir, length):
    # given: the add-an-organisation form, filled in
    client = client_for(seir)
    url = reverse("scouting:organisation_create")
    typed = {
        **rendered(client, url).values,
        "name": "Moseley Food Bank",
        "area": "Moseley",
        "website": link_of(length),
    }

    # when: it is sent with a website longer than 300 characters
    refused = client.post(url, typed)

    # then: only the length is named; what was typed is kept; nothing is saved
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"website": too_long(length)}
    assert "Enter a valid URL." not in refused.content.decode()
    shown = page_form(refused.content, containing="name")
    assert (shown.values["name"], shown.values["area"], shown.values["website"]) == (
        "Moseley Food Bank",
        "Moseley",
        link_of(length),
    )
    assert not Organisation.objects.exists() and not SubmissionToken.objects.exists()


@pytest.mark.parametrize("length", LENGTHS)
def test_editing_a_website_to_one_too_long_names_the_length(seir, saheli, length):
    client = client_for(seir)
    url = reverse("scouting:organisation_edit", args=[saheli.pk])
    typed = {**rendered(client, url).values, "area": "Sparkbrook", "website": link_of(length)}
    before = (saheli.area, saheli.website, Event.objects.count())

    refused = client.post(url, typed)

    assert refused.status_code == 200
    assert refused.context["form"].errors == {"website": too_long(length)}
    assert "Enter a valid URL." not in refused.content.decode()
    shown = page_form(refused.content, containing="name")
    assert (shown.values["area"], shown.values["website"]) == ("Sparkbrook", link_of(length))
    saheli.refresh_from_db()
    assert (saheli.area, saheli.website, Event.objects.count()) == before


def test_a_website_within_the_limit_is_saved(seir):
    client = client_for(seir)
    url = reverse("scouting:organisation_create")
    typed = {**rendered(client, url).values, "name": "Moseley Food Bank", "website": link_of(300)}

    assert client.post(url, typed).status_code == 302

    assert Organisation.objects.get().website == link_of(300)
