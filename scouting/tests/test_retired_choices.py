"""A save changes only what the person changed: a tag retired since it was given to a
person stays on them until someone takes it off, and is not given afresh.

Each test submits the edit form exactly as the page rendered it, with one field typed
over, the way a person in a browser would.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event
from scouting.models import Tag
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def retire(tag: Tag) -> None:
    tag.is_active = False
    tag.save(update_fields=["is_active"])


def tag_boxes(html: str) -> dict[str, tuple[str, bool]]:
    """The tag checkboxes the page shows: value -> (label, ticked)."""
    boxes = {}
    for box in re.finditer(r'<input type="checkbox"[^>]*name="tags"[^>]*>', html):
        attrs = box.group(0)
        value = re.search(r'value="(\d+)"', attrs).group(1)
        input_id = re.search(r'id="([^"]+)"', attrs).group(1)
        label = re.search(rf'<label[^>]*for="{input_id}"[^>]*>\s*(.*?)\s*</label>', html, re.S)
        text = label.group(1) if label else html[box.end() : box.end() + 200]
        boxes[value] = (re.sub(r"<[^>]+>", "", text).strip(), "checked" in attrs)
    return boxes


def person_events(person) -> list[dict]:
    return list(
        Event.objects.filter(kind="scouting.person_changed", subject_id=str(person.pk))
        .order_by("id")
        .values_list("data", flat=True)
    )


def test_a_retired_tag_is_shown_ticked_and_kept_when_the_job_title_is_edited(seir, nadia):
    # given: Nadia is tagged "clinician", then that tag is retired
    clinician = Tag.objects.get(code="clinician")
    nadia.tags.set([clinician])
    retire(clinician)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    client = client_for(seir)

    # when: the SEiR opens her edit page and changes only the job title
    page = client.get(url).content.decode()
    form = page_form(page, containing="job_title")
    response = client.post(url, form.post_data(job_title="Lead coordinator"))

    # then: the tag was shown ticked and marked retired, and stays on her
    assert tag_boxes(page)[str(clinician.pk)] == (f"{clinician.name} (retired)", True)
    assert response.status_code == 302
    nadia.refresh_from_db()
    assert nadia.job_title == "Lead coordinator"
    assert list(nadia.tags.values_list("code", flat=True)) == ["clinician"]
    assert person_events(nadia) == [{"fields": ["job_title"]}]


def test_a_retired_tag_can_be_taken_off(seir, nadia):
    # given: Nadia's tag "clinician" was retired
    clinician = Tag.objects.get(code="clinician")
    nadia.tags.set([clinician])
    retire(clinician)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    client = client_for(seir)

    # when: the SEiR unticks it
    form = page_form(client.get(url).content, containing="job_title")
    response = client.post(url, form.post_data(tags=[]))

    # then
    assert response.status_code == 302
    assert list(nadia.tags.all()) == []
    assert person_events(nadia) == [{"fields": ["tags"]}]


def test_a_retired_tag_is_not_given_to_a_person_who_did_not_have_it(seir, nadia, dr_lee):
    # given: "clinician" is retired; Dr Lee still has it, Nadia never had it
    clinician = Tag.objects.get(code="clinician")
    dr_lee.tags.set([clinician])
    retire(clinician)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    client = client_for(seir)

    # when: the SEiR opens Nadia's page, then sends the retired tag anyway
    page = client.get(url).content.decode()
    form = page_form(page, containing="job_title")
    response = client.post(url, form.post_data(tags=[str(clinician.pk)], job_title="GP"))

    # then: it was not offered, is refused with a message, and nothing is saved
    assert str(clinician.pk) not in tag_boxes(page)
    assert response.status_code == 200
    assert f"Select a valid choice. {clinician.pk} is not one of the available choices." in (
        response.content.decode()
    )
    nadia.refresh_from_db()
    assert (nadia.job_title, list(nadia.tags.all())) == ("Coordinator", [])
    assert person_events(nadia) == []


def test_the_people_list_still_filters_by_a_retired_tag(seir, nadia, dr_lee):
    # given: Nadia was tagged "clinician" before it was retired
    clinician = Tag.objects.get(code="clinician")
    nadia.tags.set([clinician])
    retire(clinician)

    # when: the SEiR filters the people list by it
    response = client_for(seir).get(reverse("scouting:person_list"), {"tag": "clinician"})

    # then: Nadia is found, Dr Lee is not; the tag is offered, marked retired
    page = response.content.decode()
    assert response.status_code == 200
    options = page_form(page, containing="tag").options["tag"]
    assert ("clinician", "Clinician (retired)", True) in options
    assert "Nadia Hussain" in page
    assert "Dr Wei Lee" not in page
