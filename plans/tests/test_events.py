"""Every plan event kind is registered and renders one line through its template."""

import csv
import io
import re

import pytest
from django.urls import reverse

from events.models import Event
from events.registry import get_kind
from events.rendering import render_event
from plans import factories
from plans.tests.conftest import SUMMARY_V2

pytestmark = pytest.mark.django_db

KINDS = [
    "plan.draft_saved",
    "plan.version_submitted",
    "plan.comment_added",
    "plan.feedback_given",
    "plan.feedback_replied",
    "plan.approved",
]


def test_kinds_are_registered_with_templates():
    for code in KINDS:
        kind = get_kind(code)
        assert kind is not None, code
        assert kind.template.startswith("plans/events/"), code


def test_events_render_as_one_line_each(submitted, venture, entrepreneur, seir):
    factories.review(seir, submitted, {"executive-summary": "Say <b>who</b> pays."})
    factories.write(entrepreneur, venture, {"executive-summary": SUMMARY_V2})
    factories.review(seir, factories.submit(entrepreneur, venture), {}, approve=True)

    lines = [
        re.sub(r"<[^>]+>", "", render_event(event)).strip()
        for event in Event.objects.filter(venture_id=venture.pk).order_by("id")
    ]

    assert lines == [
        "Business plan draft saved: Executive summary (12 words).",
        "Business plan draft saved: Financial plan (11 words).",
        "Business plan version submitted: version 1 — “First go.”.",
        "Business plan feedback written on version 1: Executive summary.",
        "Business plan feedback given on version 1 (1 comment).",
        "Business plan draft saved: Executive summary (17 words).",
        "Business plan version submitted: version 2.",
        "Business plan approved: version 2.",
    ]
    visibility = dict(Event.objects.filter(venture_id=venture.pk).values_list("kind", "visibility"))
    assert visibility == {
        "plan.draft_saved": "team",
        "plan.version_submitted": "team",
        "plan.comment_added": "staff",  # released to the team by "feedback given"
        "plan.feedback_given": "team",
        "plan.approved": "team",
    }


def test_venture_timeline_shows_plan_events_only_to_plan_readers(
    client, submitted, venture, entrepreneur, seir, manager, commissioner, monkeypatch
):
    from django.urls import reverse

    from ventures.models import Venture

    # a read-only grant lets the commissioner open the venture page (as commissioning will)
    monkeypatch.setattr(
        "ventures.permissions._read_only_visibility",
        [
            lambda user: Venture.objects.filter(
                pk=venture.pk if user == commissioner else 0
            ).values("pk")
        ],
    )
    url = reverse("ventures:detail", args=[venture.pk])
    expected = {
        seir: {"Business plan draft saved", "Business plan version submitted"},
        entrepreneur: {"Business plan draft saved", "Business plan version submitted"},
        manager: {"Business plan version submitted"},  # never the draft
        commissioner: set(),
    }
    for user, kinds in expected.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        shown = {
            k for k in ("Business plan draft saved", "Business plan version submitted") if k in html
        }
        assert shown == kinds, user.username


def _feed_kinds(client, programme) -> list[str]:
    response = client.get(reverse("events:programme_activity", args=[programme.pk]))
    assert response.status_code == 200
    return [event.kind for event in response.context["page"].object_list]


def _csv_kinds(client, programme) -> list[str]:
    response = client.get(reverse("events:programme_activity_export", args=[programme.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    kind = rows[0].index("kind")
    return [row[kind] for row in rows[1:]]


def test_a_managers_programme_feed_leaves_out_draft_saves(
    client, submitted, programme, manager, seir
):
    # given: two draft saves, then a submitted version
    plan_kinds = ["plan.version_submitted", "plan.draft_saved", "plan.draft_saved"]

    client.force_login(seir)
    assert [k for k in _feed_kinds(client, programme) if k.startswith("plan.")] == plan_kinds
    assert [k for k in _csv_kinds(client, programme) if k.startswith("plan.")] == plan_kinds

    # a PCT manager may read submitted plans, never drafts: not in the feed, nor its CSV
    client.force_login(manager)
    assert [k for k in _feed_kinds(client, programme) if k.startswith("plan.")] == [
        "plan.version_submitted"
    ]
    assert [k for k in _csv_kinds(client, programme) if k.startswith("plan.")] == [
        "plan.version_submitted"
    ]
