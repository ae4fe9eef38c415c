"""``events.rendering.event_when`` writes what the template it replaced wrote
(``templates/jinja2/events/when.jinja``, kept here as the reference) for every kind of
instant, time zone and language."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils import timezone, translation

from events.models import Event
from events.rendering import event_when

# The template event_when replaced, as it stood.
REFERENCE = (
    "{% if event.at_is_day %}<time datetime=\"{{ event.at|date('Y-m-d') }}\">"
    "{{ event.at|date('j M Y') }}</time>{% else %}"
    "<time datetime=\"{{ event.at|date('c') }}\">{{ event.at|date('j M Y, H:i') }}</time>"
    '{% endif %}{% if event.recorded_apart %}<span class="event-recorded'
    '{% if stacked %} d-block small text-body-secondary{% endif %}">'
    "{% if not stacked %} · {% endif %}recorded <time datetime=\"{{ event.recorded_at|date('c') }}\">"
    "{{ event.recorded_at|date('j M Y, H:i') }}</time></span>{% endif %}"
)

UTC = datetime.UTC


def _utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


# (when it happened, known by its day only, when it was recorded)
_EVENTS = [
    # known by its day, recorded the same day / three days later / late that night
    (_utc(2026, 11, 30, 12, 0), True, _utc(2026, 11, 30, 18, 5)),
    (_utc(2026, 11, 30, 0, 0), True, _utc(2026, 12, 3, 9, 30)),
    (_utc(2026, 6, 30, 12, 0), True, _utc(2026, 6, 30, 23, 30)),
    # at a moment, recorded at once / 59 s later / a minute later / across midnight in summer
    (_utc(2026, 7, 1, 8, 0), False, _utc(2026, 7, 1, 8, 0)),
    (_utc(2026, 7, 1, 8, 0), False, _utc(2026, 7, 1, 8, 0, 59)),
    (_utc(2026, 7, 1, 8, 0), False, _utc(2026, 7, 1, 8, 1)),
    (_utc(2026, 7, 1, 23, 30, 15, 250), False, _utc(2026, 7, 2, 9, 0)),
]


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "Pacific/Auckland"])
@pytest.mark.parametrize("language", ["en-gb", "fr"])
@pytest.mark.parametrize("stacked", [False, True])
def test_event_when_writes_what_the_template_wrote(zone, language, stacked):
    reference = engines["jinja2"].env.from_string(REFERENCE)
    with timezone.override(zone), translation.override(language):
        for at, at_is_day, recorded_at in _EVENTS:
            event = Event(
                kind="venture.note_added", at=at, at_is_day=at_is_day, recorded_at=recorded_at
            )
            expected = reference.render(event=event, stacked=stacked)
            assert event_when(event, stacked=stacked) == expected, (at, at_is_day, recorded_at)


def test_an_event_recorded_a_minute_apart_says_so_in_london_time():
    event = Event(
        kind="venture.note_added",
        at=_utc(2026, 7, 1, 8, 0),
        recorded_at=_utc(2026, 7, 1, 8, 1),
    )
    with timezone.override("Europe/London"):
        assert event_when(event) == (
            '<time datetime="2026-07-01T09:00:00+01:00">1 Jul 2026, 09:00</time>'
            '<span class="event-recorded"> · recorded '
            '<time datetime="2026-07-01T09:01:00+01:00">1 Jul 2026, 09:01</time></span>'
        )
