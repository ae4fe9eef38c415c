"""One event drawn with its kind's template: the activity feeds' and the timeline's body
of an entry (the ``{% render_event %}`` tag and the Jinja2 fragments call this)."""

from __future__ import annotations

from django.template.loader import get_template
from django.utils.safestring import SafeString

from .models import Event
from .registry import DEFAULT_TEMPLATE


def render_event(event: Event) -> SafeString:
    """``event`` drawn with its kind's template (the default one for unknown kinds).

    A kind's template draws from the event and its kind alone, never from the request:
    drawn with the request, each entry ran every context processor (the navigation's
    roles among them), twenty times over on a venture's page."""
    info = event.kind_info
    name = info.template if info else DEFAULT_TEMPLATE
    return get_template(name).render({"event": event, "kind": info})
