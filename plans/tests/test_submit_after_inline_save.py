"""Issue 16, item 1: an inline (htmx) section save updates what the page will submit, so
"Submit version N" on the same page works at the first click; a real conflict (someone
else saved meanwhile) is still refused, with nothing written."""

import re

import pytest
from django.urls import reverse

from plans import factories
from plans.models import BusinessPlan, PlanVersion
from tests.clients import client_for
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "section-executive-summary"}
OOB_REVISION = re.compile(
    r'<input type="hidden" name="revision" id="plan-revision" value="(\d+)" hx-swap-oob="true">'
)


def open_plan(client, venture):
    """The plan page's submit form, as the browser holds it."""
    page = client.get(reverse("plans:plan", args=[venture.pk])).content.decode()
    assert '<input type="hidden" name="revision" value=' in page
    assert 'id="plan-revision"' in page
    return page_form(page, containing="revision")


def inline_save(client, venture, code, body, *, page_revision):
    """Edit then Save in place, as htmx does it: the section form's fields plus the
    page's revision (the form's ``hx-include``)."""
    url = reverse("plans:section_edit", args=[venture.pk, code])
    headers = {"HX-Request": "true", "HX-Target": f"section-{code}"}
    editor = client.get(url, headers=headers).content.decode()
    assert 'hx-include="#plan-revision"' in editor
    version = page_form(editor, containing="body").values["version"]
    data = {"body": body, "version": version, "revision": page_revision}
    response = client.post(url, data, headers=headers)
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    return response.content.decode()


def test_submit_after_an_inline_save_goes_through_at_the_first_click(
    venture, drafted, entrepreneur
):
    # given: the entrepreneur on the plan page
    client = client_for(entrepreneur)
    form = open_plan(client, venture)

    # when: they edit a section in place and save
    html = inline_save(
        client, venture, "executive-summary", "Rewritten.", page_revision=form.values["revision"]
    )

    # then: the response updates the page's submit form to the draft now saved
    plan = BusinessPlan.objects.get(venture=venture)
    assert OOB_REVISION.findall(html) == [str(plan.draft_revision)]
    assert plan.draft_revision == int(form.values["revision"]) + 1

    # and clicking Submit on the same page submits at once
    values = {**form.values, "revision": OOB_REVISION.findall(html)[0], "note": "One click."}
    response = client.post(form.action, values)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:version", args=[venture.pk, 1])
    version = PlanVersion.objects.get(plan=plan)
    assert (version.number, version.note) == (1, "One click.")
    assert version.sections.get(code="executive-summary").body == "Rewritten."


def test_two_inline_saves_then_submit(venture, drafted, entrepreneur):
    client = client_for(entrepreneur)
    form = open_plan(client, venture)
    first = OOB_REVISION.findall(
        inline_save(client, venture, "team", "Parveen.", page_revision=form.values["revision"])
    )[0]
    second = OOB_REVISION.findall(
        inline_save(client, venture, "risks", "Rain.", page_revision=first)
    )[0]

    response = client.post(form.action, {**form.values, "revision": second})

    assert response.status_code == 302
    assert PlanVersion.objects.get().sections.get(code="risks").body == "Rain."


def test_someone_else_saving_in_between_is_still_refused(
    venture, drafted, entrepreneur, seir, plan_snapshot
):
    # given: the entrepreneur's page is open; meanwhile the SEiR saves another section
    client = client_for(entrepreneur)
    form = open_plan(client, venture)
    factories.write(seir, venture, {"risks": "The hall lease ends."})

    # when: the entrepreneur saves a section in place
    html = inline_save(
        client, venture, "executive-summary", "Rewritten.", page_revision=form.values["revision"]
    )

    # then: the page keeps expecting the draft it showed (the SEiR's text is unseen)
    assert OOB_REVISION.findall(html) == [form.values["revision"]]
    before = plan_snapshot(venture)

    # and the submission is refused, with the reason at the form, and nothing written
    response = client.post(form.action, {**form.values, "revision": form.values["revision"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<div class="alert alert-danger" role="alert" tabindex="-1" data-plan-refusal>'
        '<p class="mb-0">The draft has been changed since you opened this page. Read it '
        "through, then submit again.</p></div>"
    ) in page
    assert plan_snapshot(venture) == before
    assert not PlanVersion.objects.exists()


def test_the_submit_form_is_above_the_draft(venture, drafted, entrepreneur):
    client = client_for(entrepreneur)
    page = client.get(reverse("plans:plan", args=[venture.pk])).content.decode()
    # on a phone the columns stack: the form must come before the 13 sections
    assert page.index('id="submit-title"') < page.index('id="draft-title"')
    form = page_form(page, containing="revision")
    assert form.action == reverse("plans:submit", args=[venture.pk])


def test_an_inline_save_without_the_page_revision_updates_nothing(venture, entrepreneur):
    url = reverse("plans:section_edit", args=[venture.pk, "team"])
    response = client_for(entrepreneur).post(
        url, {"body": "Parveen.", "version": "0"}, headers=HTMX | {"HX-Target": "section-team"}
    )
    assert response.status_code == 200
    assert "hx-swap-oob" not in response.content.decode()


@pytest.mark.parametrize("revision", ["abc", "-1", "99999999999999999999", ""])
def test_a_damaged_page_revision_is_ignored(venture, entrepreneur, revision):
    url = reverse("plans:section_edit", args=[venture.pk, "team"])
    response = client_for(entrepreneur).post(
        url,
        {"body": "Parveen.", "version": "0", "revision": revision},
        headers={"HX-Request": "true", "HX-Target": "section-team"},
    )
    assert response.status_code == 200
    assert "hx-swap-oob" not in response.content.decode()
    assert BusinessPlan.objects.get(venture=venture).draft_revision == 1


def test_while_a_version_awaits_feedback_the_editor_includes_no_missing_revision(
    venture, submitted, entrepreneur
):
    # given: version 1 waits for the SEiR, so the plan page has no submit form (and no
    # #plan-revision field)
    client = client_for(entrepreneur)
    page = client.get(reverse("plans:plan", args=[venture.pk])).content.decode()
    assert 'id="plan-revision"' not in page

    # then: the section editor does not ask htmx to include it (htmx logged an error on
    # every save: 'The selector "#plan-revision" on hx-include returned no matches!')
    url = reverse("plans:section_edit", args=[venture.pk, "executive-summary"])
    editor = client.get(url, headers=HTMX).content.decode()
    assert "hx-post=" in editor
    assert "hx-include" not in editor
    response = client.post(url, {"body": "Still editing.", "version": 1}, headers=HTMX)
    assert "Saved." in response.content.decode()
