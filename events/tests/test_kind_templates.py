"""Each event kind's template is a Jinja2 template (``templates/jinja2/<app>/events/``)
drawn by ``events.rendering.render_event``; it reads the event's data as a Django
template did: a missing key draws as nothing, a key named like a dict method is the key."""

from __future__ import annotations

import pytest

from events.models import Event
from events.registry import kinds
from events.rendering import render_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.code)
def test_every_kind_draws_an_event_with_no_data(kind):
    assert kind.template.endswith(".jinja")
    html = render_event(Event(kind=kind.code, data={}))
    assert "Undefined" not in html and "None" not in html


def test_an_unknown_kind_draws_its_code():
    html = render_event(Event(kind="gone.away", data={}, subject_label="Ward 7 & co"))
    assert html == '<div class="fw-semibold event-title">gone.away: Ward 7 &amp; co</div>'


def test_a_key_named_like_a_dict_method_is_the_key():
    html = render_event(Event(kind="checklist.created", data={"items": 1, "template": "Core"}))
    assert html == (
        '<span class="event-title">Due-diligence checklist given</span> from “Core” (1 item)'
    )


@pytest.mark.parametrize(
    ("data", "tail"),
    [
        ({"title": "Market"}, ": Market."),
        ({"title": "Market", "words": None}, ": Market."),
        ({"title": "Market", "words": 0}, ": Market (0 words)."),
        ({"title": "Market", "words": 1}, ": Market (1 word)."),
    ],
)
def test_a_draft_names_its_words_only_when_counted(data, tail):
    html = render_event(Event(kind="plan.draft_saved", data=data))
    assert html.endswith("</span>" + tail), html


def test_values_are_escaped_as_django_escapes_them():
    html = render_event(
        Event(kind="venture.moved", data={"from_stage": "<b>Idea</b>", "to_stage": "O'Neil"})
    )
    assert "Moved from &lt;b&gt;Idea&lt;/b&gt; to O&#x27;Neil</div>" in html
