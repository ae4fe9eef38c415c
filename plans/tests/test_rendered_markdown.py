"""Draft sections, feedback and replies keep their Markdown rendered (``body_html``,
``plans.models.RenderedMarkdown``): written with every save of the body, by the
services and the migration alike, and what the plan page shows, so it converts no
Markdown on a visit."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from plans import factories, services
from plans.models import DraftSection, PlanComment, PlanCommentReply
from seir.markdown import render_markdown
from tests.clients import client_for

pytestmark = pytest.mark.django_db

HOSTILE = "**Bold** [x](javascript:alert(1)) <script>alert('x')</script> O'Brien & \"Sons\""


def _stored(model) -> list[tuple[str, str]]:
    return list(model.objects.order_by("pk").values_list("body", "body_html"))


def test_a_saved_section_keeps_its_markdown_rendered(venture, entrepreneur):
    plan = factories.write(entrepreneur, venture, {"executive-summary": HOSTILE})
    draft = plan.draft_sections.get()
    assert draft.body_html == render_markdown(HOSTILE)
    assert "<strong>Bold</strong>" in draft.body_html
    assert "<script>" not in draft.body_html and "javascript:" not in draft.body_html

    factories.write(entrepreneur, venture, {"executive-summary": "Now *this*."})

    draft.refresh_from_db()
    assert draft.body_html == "<p>Now <em>this</em>.</p>"


def test_a_save_that_leaves_the_body_alone_leaves_its_html(venture, entrepreneur):
    draft = factories.write(
        entrepreneur, venture, {"executive-summary": "One"}
    ).draft_sections.get()
    DraftSection.objects.filter(pk=draft.pk).update(body_html="<p>kept</p>")
    draft.refresh_from_db()

    draft.version += 1
    draft.save(update_fields=["version"])

    draft.refresh_from_db()
    assert draft.body_html == "<p>kept</p>"


def test_feedback_and_replies_keep_their_markdown_rendered(venture, submitted, seir, entrepreneur):
    factories.review(seir, submitted, {"": HOSTILE})  # the feedback, released
    comment = PlanComment.objects.get()
    services.plan_comment_reply(actor=entrepreneur, comment=comment, body=f"Re: {HOSTILE}")

    assert _stored(PlanComment) == [(HOSTILE, render_markdown(HOSTILE))]
    assert _stored(PlanCommentReply) == [(f"Re: {HOSTILE}", render_markdown(f"Re: {HOSTILE}"))]


def test_the_migration_renders_every_stored_body(venture, submitted, seir, entrepreneur):
    factories.review(seir, submitted, {"": HOSTILE})
    services.plan_comment_reply(actor=entrepreneur, comment=PlanComment.objects.get(), body="*R*")
    for model in (DraftSection, PlanComment, PlanCommentReply):
        model.objects.update(body_html="")  # as the rows stood before the column

    migration = importlib.import_module("plans.migrations.0005_rendered_markdown")
    migration.render_stored(apps, None)

    for model in (DraftSection, PlanComment, PlanCommentReply):
        rows = _stored(model)
        assert rows and all(html == render_markdown(body) for body, html in rows), model


def test_the_plan_page_shows_the_stored_html(venture, drafted, entrepreneur):
    """What was rendered at the save, not a conversion on the visit."""
    DraftSection.objects.filter(section__code="executive-summary").update(
        body_html="<p>As stored</p>"
    )

    page = client_for(entrepreneur).get(reverse("plans:plan", args=[venture.pk]))

    assert page.status_code == 200
    assert "<p>As stored</p>" in page.content.decode()
