"""One event drawn with its kind's template: the activity feeds' and the timeline's body
of an entry (the ``{% render_event %}`` tag and the Jinja2 fragments call this).

A kind's template is a Jinja2 template (``templates/jinja2/<app>/events/<kind>.jinja``,
``seir.jinja2``'s environment): a venture's page draws twenty of them, and each drawn as
a Django template cost more than the rest of its timeline entry.
"""

from __future__ import annotations

import datetime
import re

from django.template import engines
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

from seir.jinja2 import formatted

from .models import Event
from .registry import DEFAULT_TEMPLATE

# The activity feed's date column (event_when): "2 Dec 2026".
EVENT_DATE_FORMAT = "j M Y"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def event_date(value):
    """An ISO date kept in an event's data ("2026-12-02"), or a date, as the feed's date
    column shows it ("2 Dec 2026"); anything else (an empty value, free text) unchanged."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    elif isinstance(value, str):
        if not ISO_DATE.fullmatch(value.strip()):
            return value
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:  # 2026-02-30
            return value
    if isinstance(value, datetime.date):
        return dateformat.format(value, EVENT_DATE_FORMAT)
    return value


def render_event(event: Event) -> SafeString:
    """``event`` drawn with its kind's template (the default one for unknown kinds).

    A kind's template draws from the event and its kind alone, never from the request.
    It escapes its own output (autoescaping, as every fragment)."""
    info = event.kind_info
    name = info.template if info else DEFAULT_TEMPLATE
    template = engines["jinja2"].env.get_template(name)
    return mark_safe(template.render(event=event, kind=info))  # noqa: S308


def event_when(event: Event, *, stacked: bool = False) -> SafeString:
    """When ``event`` happened, and when it was recorded if that was apart
    (``Event.recorded_apart``): the timeline's and the activity tables' first column
    (``stacked``: the recorded time on a line of its own). Each instant is put in the
    current time zone once; drawn as a template, twenty a venture page, the four dates'
    conversions and the template's own context cost more than the event's body."""
    zone = timezone.get_current_timezone()
    at = event.at.astimezone(zone)
    if event.at_is_day:
        html = f'<time datetime="{formatted(at, "Y-m-d")}">{formatted(at, "j M Y")}</time>'
    else:
        html = f'<time datetime="{at.isoformat()}">{formatted(at, "j M Y, H:i")}</time>'
    if event.recorded_apart:
        recorded = event.recorded_at.astimezone(zone)
        html += (
            '<span class="event-recorded d-block small text-body-secondary">'
            if stacked
            else '<span class="event-recorded"> · '
        )
        html += (
            f'recorded <time datetime="{recorded.isoformat()}">'
            f"{formatted(recorded, 'j M Y, H:i')}</time></span>"
        )
    return mark_safe(html)  # noqa: S308 (dates and fixed markup only)
