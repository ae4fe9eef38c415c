import datetime
import re

from django import template
from django.utils import dateformat

from ..permissions import can_read_programme_activity as _can_read
from ..rendering import render_event

register = template.Library()

# The activity feed's date column (templates/jinja2/events/when.jinja): "2 Dec 2026".
EVENT_DATE_FORMAT = "j M Y"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@register.filter
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


@register.simple_tag(name="render_event")
def render_event_tag(event):
    """Render one event with its kind's template (the default one for unknown kinds)."""
    return render_event(event)


@register.simple_tag(takes_context=True)
def can_read_programme_activity(context, programme) -> bool:
    """Whether the person viewing may open ``programme``'s activity feed."""
    request = context.get("request")
    return bool(request) and _can_read(request.user, programme)
