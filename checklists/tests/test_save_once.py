"""The add-an-item form saves once, however often the rendered form is posted."""

import pytest
from django.urls import reverse

from checklists.models import ChecklistItem
from submissions.models import SubmissionToken
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

ALREADY = "That was already saved: it is shown below. Nothing was saved twice."


def add_form(client, venture):
    url = reverse("checklists:item_add", args=[venture.pk])
    form = page_form(client.get(url).content, containing="label")
    return url, form


def test_the_same_form_posted_twice_adds_one_item(seir, venture, checklist):
    client = client_for(seir)
    url, form = add_form(client, venture)
    assert form.values["submission_token"]
    before = checklist.items.count()
    data = {**form.values, "new_section": "Premises", "label": "Lease"}

    first = client.post(url, data)
    second = client.post(url, data)

    where = reverse("checklists:venture", args=[venture.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == where
    assert texts(second)[-1] == ALREADY
    assert checklist.items.count() == before + 1
    assert ChecklistItem.objects.filter(checklist=checklist, label="Lease").count() == 1


def test_a_refused_first_post_leaves_the_token_for_the_corrected_form(seir, venture, checklist):
    # given: the first post is refused (no section chosen or named)
    client = client_for(seir)
    url, form = add_form(client, venture)
    before = checklist.items.count()
    refused = client.post(url, {**form.values, "section": "", "label": "Lease"})
    assert refused.status_code == 200  # the add page, shown again with the error
    assert "Choose a section or name a new one." in refused.content.decode()
    assert SubmissionToken.objects.count() == 0
    shown = page_form(refused.content, containing="label")
    assert shown.values["submission_token"] == form.values["submission_token"]
    assert shown.values["label"] == "Lease"

    # when: corrected and sent again
    saved = client.post(url, {**shown.values, "new_section": "Premises"})

    # then
    assert saved.status_code == 302
    assert texts(saved)[-1] == "“Lease” was added to Premises."
    assert checklist.items.count() == before + 1
