"""Issue 16, item 3 (plans' part): the SEiR's feedback is shown on the plan page too, and
the venture's team (or the programme's staff) replies to a comment: stored, attributed,
threaded under it, recorded with one event, saved once however often it is posted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from events.models import Event
from plans import factories, services
from plans.models import COMMENT_MAX_CHARS, PlanComment, PlanCommentReply
from tests.clients import client_for, texts
from tests.html_forms import page_forms

pytestmark = pytest.mark.django_db

ALREADY = "That was already saved: it is shown below. Nothing was saved twice."


@pytest.fixture
def reviewed(submitted, seir):
    """Version 1 with the SEiR's feedback on one section and on the whole plan, released."""
    services.plan_comment_add(
        actor=seir, version=submitted, section_code="", body="A good **first** go."
    )
    factories.review(seir, submitted, {"financial-plan": "Where does year 2 come from?"})
    return submitted


def comment(section_code: str) -> PlanComment:
    return PlanComment.objects.get(section_code=section_code)


def reply_form(html, comment_pk: int):
    action = f"/plan/feedback/{comment_pk}/reply/"
    found = [f for f in page_forms(html) if f.action.endswith(action)]
    assert len(found) == 1, found
    return found[0]


def plan_page(client, venture) -> str:
    response = client.get(reverse("plans:plan", args=[venture.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_released_feedback_is_shown_on_the_plan_page_in_section_order(
    venture, reviewed, entrepreneur
):
    html = plan_page(client_for(entrepreneur), venture)

    assert '<h2 class="h5" id="feedback-title">SEiR feedback on version 1</h2>' in html
    whole = html.index("A good <strong>first</strong> go.")
    finance = html.index("Where does year 2 come from?")
    assert whole < finance < html.index('id="draft-title"')
    assert '<h3 class="h6 mt-3">The plan as a whole</h3>' in html
    assert '<h3 class="h6 mt-3">Financial plan</h3>' in html
    assert f'id="comment-{comment("financial-plan").pk}"' in html


def test_feedback_not_yet_given_is_not_shown_to_the_team(venture, submitted, entrepreneur, seir):
    services.plan_comment_add(
        actor=seir, version=submitted, section_code="risks", body="Draft note to self."
    )
    assert "Draft note to self." not in plan_page(client_for(entrepreneur), venture)
    # the SEiR, who is writing it, sees it
    assert "Draft note to self." in plan_page(client_for(seir), venture)


def test_a_team_member_replies_from_the_plan_page(venture, reviewed, entrepreneur, seir):
    # given
    client = client_for(entrepreneur)
    target = comment("financial-plan")
    form = reply_form(plan_page(client, venture), target.pk)
    assert form.values["submission_token"]
    events = Event.objects.count()

    # when
    response = client.post(form.action, {**form.values, "body": "From the *council* grant."})

    # then: stored, attributed, one event, back under the comment
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("plans:plan", args=[venture.pk]) + f"#comment-{target.pk}"
    )
    assert texts(response) == ["Reply saved."]
    reply = PlanCommentReply.objects.get()
    assert (reply.comment, reply.author, reply.body) == (
        target,
        entrepreneur,
        "From the *council* grant.",
    )
    assert Event.objects.count() == events + 1
    event = Event.objects.latest("id")
    assert (event.kind, event.actor, event.venture_id) == (
        "plan.feedback_replied",
        entrepreneur,
        venture.pk,
    )
    assert event.data == {
        "number": 1,
        "section": "financial-plan",
        "title": "Financial plan",
        "comment": target.pk,
        "reply": reply.pk,
    }

    # and the reply is shown threaded under its comment, on the plan and the version page
    for html in (
        plan_page(client_for(seir), venture),
        client.get(reverse("plans:version", args=[venture.pk, 1])).content.decode(),
    ):
        thread = html[html.index(f'id="comment-{target.pk}"') :]
        assert thread.index("From the <em>council</em> grant.") < thread.index("</ul>")
        assert "Reply from Parveen Akhtar," in thread


def test_the_seir_replies_from_the_version_page(venture, reviewed, seir):
    client = client_for(seir)
    target = comment("")
    page = client.get(reverse("plans:version", args=[venture.pk, 1])).content.decode()
    form = reply_form(page, target.pk)
    assert form.values["back"] == "version"

    response = client.post(form.action, {**form.values, "body": "Thanks, see you Monday."})

    assert response["Location"] == (
        reverse("plans:version", args=[venture.pk, 1]) + f"#comment-{target.pk}"
    )
    assert list(PlanCommentReply.objects.values_list("author__username", "body")) == [
        ("seir", "Thanks, see you Monday.")
    ]


def test_the_same_reply_posted_twice_is_saved_once(venture, reviewed, entrepreneur):
    client = client_for(entrepreneur)
    target = comment("financial-plan")
    form = reply_form(plan_page(client, venture), target.pk)
    data = {**form.values, "body": "Council grant."}

    first = client.post(form.action, data)
    second = client.post(form.action, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert texts(second)[-1] == ALREADY
    assert PlanCommentReply.objects.count() == 1
    assert Event.objects.filter(kind="plan.feedback_replied").count() == 1


@pytest.mark.parametrize("who", ["manager", "commissioner", "other_entrepreneur", "other_seir"])
def test_who_may_not_reply_gets_a_404_and_nothing_is_written(
    request, venture, reviewed, entrepreneur, plan_snapshot, who
):
    # given: a real form, as the team sees it
    form = reply_form(plan_page(client_for(entrepreneur), venture), comment("").pk)
    before = plan_snapshot(venture)

    # when someone who may not reply posts it
    response = client_for(request.getfixturevalue(who)).post(
        form.action, {**form.values, "body": "Not mine to say."}
    )

    # then
    assert response.status_code == 404
    assert plan_snapshot(venture) == before


def test_a_manager_reads_the_feedback_but_is_offered_no_reply(venture, reviewed, manager):
    html = plan_page(client_for(manager), venture)
    assert "Where does year 2 come from?" in html
    assert "/reply/" not in html


def test_the_service_refuses_a_manager(venture, reviewed, manager, plan_snapshot):
    before = plan_snapshot(venture)
    with pytest.raises(PermissionDenied):
        services.plan_comment_reply(actor=manager, comment=comment(""), body="No.")
    assert plan_snapshot(venture) == before


def test_feedback_not_yet_released_cannot_be_answered(
    venture, submitted, entrepreneur, seir, plan_snapshot
):
    services.plan_comment_add(actor=seir, version=submitted, section_code="", body="Wait.")
    target = comment("")
    before = plan_snapshot(venture)

    response = client_for(entrepreneur).post(
        reverse("plans:reply", args=[venture.pk, target.pk]), {"body": "Seen it."}
    )

    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.plan_comment_reply(actor=entrepreneur, comment=target, body="Seen it.")
    assert plan_snapshot(venture) == before


def test_a_comment_of_another_venture_is_a_404(
    venture, other_venture, reviewed, other_entrepreneur, plan_snapshot
):
    before = plan_snapshot(venture)
    response = client_for(other_entrepreneur).post(
        reverse("plans:reply", args=[other_venture.pk, comment("").pk]), {"body": "Hi."}
    )
    assert response.status_code == 404
    assert plan_snapshot(venture) == before


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "This field is required."),
        (
            "r" * (COMMENT_MAX_CHARS + 1),
            f"Ensure this value has at most {COMMENT_MAX_CHARS} characters "
            f"(it has {COMMENT_MAX_CHARS + 1}).",
        ),
        ("nul\x00", "Null characters are not allowed."),
    ],
)
def test_a_refused_reply_is_shown_at_its_form_with_the_text_kept(
    venture, reviewed, entrepreneur, plan_snapshot, body, error
):
    client = client_for(entrepreneur)
    target = comment("financial-plan")
    form = reply_form(plan_page(client, venture), target.pk)
    before = plan_snapshot(venture)

    response = client.post(form.action, {**form.values, "body": body})

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="reply-body-{target.pk}-error">{error}</div>' in html
    assert '<details class="plan-reply-form mt-1" open>' in html
    shown = reply_form(html, target.pk)
    if "\x00" not in body:
        assert shown.values["body"] == body
    assert plan_snapshot(venture) == before


def test_hostile_comment_ids_are_404(venture, reviewed, entrepreneur):
    client = client_for(entrepreneur)
    for pk in (0, 2_147_483_648, 10**30):
        url = f"/ventures/{venture.pk}/plan/feedback/{pk}/reply/"
        assert client.post(url, {"body": "x"}).status_code == 404
    assert not PlanCommentReply.objects.exists()


def test_the_reply_event_renders_as_one_line(venture, reviewed, entrepreneur):
    import re

    from events.rendering import render_event

    services.plan_comment_reply(actor=entrepreneur, comment=comment("financial-plan"), body="Hi.")

    event = Event.objects.get(kind="plan.feedback_replied")
    line = re.sub(r"<[^>]+>", "", render_event(event)).strip()
    assert line == "Reply to business plan feedback on version 1: Financial plan."
    assert event.visibility == "team"
