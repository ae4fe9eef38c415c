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
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe

from .models import Event
from .registry import DEFAULT_TEMPLATE

# The activity feed's date column (templates/jinja2/events/when.jinja): "2 Dec 2026".
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
