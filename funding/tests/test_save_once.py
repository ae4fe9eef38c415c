"""The add-an-application form saves once, however often the rendered form is posted."""

import pytest
from django.urls import reverse

from funding.models import Fund, FundingApplication
from submissions.models import SubmissionToken
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

ALREADY = "That was already saved: it is shown below. Nothing was saved twice."


def add_form(client, venture):
    page = client.get(reverse("funding:venture", args=[venture.pk])).content
    return page_form(page, containing="purpose")


def typed(form, **overrides) -> dict:
    return {
        **form.values,
        "fund": Fund.objects.get(code="seif").pk,
        "purpose": "Coaches for the first year",
        "amount_requested": "15000.00",
        **overrides,
    }


def test_the_same_form_posted_twice_adds_one_application(entrepreneur, venture):
    # given: the rendered form, with its one-time token
    client = client_for(entrepreneur)
    form = add_form(client, venture)
    assert form.values["submission_token"]

    # when: it is sent twice (a double click)
    first = client.post(form.action, typed(form))
    second = client.post(form.action, typed(form))

    # then: one application; the second answer says so and goes to the same place
    application = FundingApplication.objects.get()
    where = reverse("funding:venture", args=[venture.pk]) + f"#app-{application.pk}"
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == where
    assert texts(second)[-1] == ALREADY
    assert SubmissionToken.objects.get().target == application


def test_two_rendered_forms_add_two_applications(entrepreneur, venture):
    client = client_for(entrepreneur)
    for purpose in ("First", "Second"):
        form = add_form(client, venture)
        client.post(form.action, typed(form, purpose=purpose))

    assert sorted(FundingApplication.objects.values_list("purpose", flat=True)) == [
        "First",
        "Second",
    ]


def test_a_refused_first_post_leaves_the_token_for_the_corrected_form(entrepreneur, venture):
    # given: the first post is refused (an amount over the fund's maximum)
    client = client_for(entrepreneur)
    form = add_form(client, venture)
    refused = client.post(form.action, typed(form, amount_requested="25000.00"))
    assert refused.status_code == 400
    assert SubmissionToken.objects.count() == 0
    assert FundingApplication.objects.count() == 0
    # the form shown again carries the same token
    shown = page_form(refused.content, containing="purpose")
    assert shown.values["submission_token"] == form.values["submission_token"]

    # when: the corrected form is sent
    saved = client.post(form.action, typed(shown, amount_requested="12000.00"))

    # then
    assert saved.status_code == 302
    assert texts(saved)[-1] == "Application to Social Enterprise Investment Fund (SEIF) added."
    assert list(FundingApplication.objects.values_list("amount_requested", flat=True)) == [12000]


@pytest.mark.parametrize("token", ["", "not-a-uuid", "\x00", "9" * 500])
def test_a_damaged_token_still_saves_once_and_never_500s(entrepreneur, venture, token):
    client = client_for(entrepreneur)
    form = add_form(client, venture)

    response = client.post(form.action, typed(form, submission_token=token))

    assert response.status_code == 302
    assert FundingApplication.objects.count() == 1
