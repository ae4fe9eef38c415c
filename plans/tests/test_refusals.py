"""A refused submission of the plan is shown again with the note typed, the reason
beside the form and status 400, and nothing written (the house rule: nothing lost)."""

import pytest
from django.urls import reverse

from plans import factories
from plans.models import COMMENT_MAX_CHARS, BusinessPlan, PlanVersion
from tests.clients import client_for, texts
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

NOT_SUBMITTED = "The plan was not submitted: the reason is shown with the form."


def submit_form(client, venture):
    page = client.get(reverse("plans:plan", args=[venture.pk])).content
    return page_form(page, containing="revision")


def test_submitting_a_draft_changed_meanwhile_keeps_the_note(
    venture, drafted, entrepreneur, plan_snapshot
):
    # given: the form as shown; then a section is saved in another tab
    client = client_for(entrepreneur)
    form = submit_form(client, venture)
    factories.write(entrepreneur, venture, {"executive-summary": "Rewritten meanwhile."})
    before = plan_snapshot(venture)

    # when
    response = client.post(form.action, {**form.values, "note": "Please look at finance."})

    # then: the plan page again with the reason and the note; nothing submitted
    assert response.status_code == 400
    assert response.templates[0].name == "plans/plan_page.html"
    page = response.content.decode()
    assert (
        "The draft has been changed since you opened this page. Read it through, then submit again."
    ) in page
    assert "Rewritten meanwhile." in page  # the draft as it is now
    shown = page_form(page, containing="revision")
    assert shown.values["note"] == "Please look at finance."
    # the form now expects the draft shown, so sending it again is deliberate
    plan = BusinessPlan.objects.get(venture=venture)
    assert (shown.values["revision"], shown.values["number"]) == (str(plan.draft_revision), "0")
    assert texts(response) == [NOT_SUBMITTED]
    assert plan_snapshot(venture) == before

    again = client.post(shown.action, shown.values)
    assert again.status_code == 302
    assert PlanVersion.objects.get(plan=plan).note == "Please look at finance."


def test_a_note_too_long_is_refused_beside_the_note(venture, drafted, entrepreneur, plan_snapshot):
    client = client_for(entrepreneur)
    form = submit_form(client, venture)
    note = "n" * (COMMENT_MAX_CHARS + 1)
    before = plan_snapshot(venture)

    response = client.post(form.action, {**form.values, "note": note})

    assert response.status_code == 400
    page = response.content.decode()
    assert page_form(page, containing="revision").values["note"] == note
    assert (
        f'id="id_note-error">Ensure this value has at most {COMMENT_MAX_CHARS} characters '
        f"(it has {COMMENT_MAX_CHARS + 1}).</div>"
    ) in page
    assert plan_snapshot(venture) == before


def test_submitting_an_empty_plan_says_why(venture, entrepreneur):
    client = client_for(entrepreneur)
    form = submit_form(client, venture)

    response = client.post(form.action, {**form.values, "note": "Nothing yet"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The plan is empty: write at least one section before submitting." in page
    assert page_form(page, containing="revision").values["note"] == "Nothing yet"
    assert PlanVersion.objects.count() == 0


def test_a_damaged_form_says_so_and_is_mended(venture, drafted, entrepreneur, plan_snapshot):
    client = client_for(entrepreneur)
    form = submit_form(client, venture)
    before = plan_snapshot(venture)

    response = client.post(form.action, {**form.values, "revision": "abc", "note": "Kept"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "This form was out of date or damaged, so nothing was submitted." in page
    shown = page_form(page, containing="revision")
    assert shown.values["note"] == "Kept"
    assert shown.values["revision"] == form.values["revision"]
    assert plan_snapshot(venture) == before


def test_a_double_submit_is_refused_and_shows_the_note(venture, drafted, entrepreneur):
    client = client_for(entrepreneur)
    form = submit_form(client, venture)
    data = {**form.values, "note": "First go."}

    first = client.post(form.action, data)
    second = client.post(form.action, data)

    assert first.status_code == 302
    assert second.status_code == 400
    assert "Version 1 has been submitted since you opened this page" in second.content.decode()
    assert PlanVersion.objects.count() == 1
