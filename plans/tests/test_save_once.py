"""The SEiR's feedback form saves once, however often the rendered form is posted."""

import pytest
from django.urls import reverse

from plans.models import PlanComment
from submissions.models import SubmissionToken
from tests.clients import client_for, texts
from tests.html_forms import page_forms

pytestmark = pytest.mark.django_db

ALREADY = "That was already saved: it is shown below. Nothing was saved twice."


def feedback_form(html, section: str):
    return next(f for f in page_forms(html) if f.values.get("section") == section)


def test_the_same_feedback_posted_twice_is_saved_once(seir, venture, submitted):
    client = client_for(seir)
    page = client.get(reverse("plans:version", args=[venture.pk, 1])).content
    form = feedback_form(page, "executive-summary")
    assert form.values["submission_token"]
    data = {**form.values, "body": "Say who the centre is for."}

    first = client.post(form.action, data)
    second = client.post(form.action, data)

    where = reverse("plans:version", args=[venture.pk, 1]) + "#section-executive-summary"
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == where
    assert texts(second)[-1] == ALREADY
    assert list(PlanComment.objects.values_list("section_code", "body")) == [
        ("executive-summary", "Say who the centre is for.")
    ]


def test_every_feedback_form_has_its_own_token(seir, venture, submitted):
    page = client_for(seir).get(reverse("plans:version", args=[venture.pk, 1])).content
    tokens = [f.values["submission_token"] for f in page_forms(page) if "body" in f.names]

    assert len(tokens) > 2
    assert len(set(tokens)) == len(tokens)


def test_a_refused_first_post_leaves_the_token_for_the_corrected_form(seir, venture, submitted):
    # given: the first post is refused (no feedback written)
    client = client_for(seir)
    page = client.get(reverse("plans:version", args=[venture.pk, 1])).content
    form = feedback_form(page, "")
    refused = client.post(form.action, {**form.values, "body": "   "})
    assert refused.status_code == 400
    assert SubmissionToken.objects.count() == 0
    assert PlanComment.objects.count() == 0

    # when: the same form is sent with the feedback written
    saved = client.post(form.action, {**form.values, "body": "A clear plan overall."})

    # then
    assert saved.status_code == 302
    assert saved["Location"] == (
        reverse("plans:version", args=[venture.pk, 1]) + "#section-whole-plan"
    )
    assert texts(saved) == ["Feedback saved."]
    assert list(PlanComment.objects.values_list("body", flat=True)) == ["A clear plan overall."]
