from django import template
from django.template.loader import get_template

from ..permissions import can_read_programme_activity as _can_read
from ..registry import DEFAULT_TEMPLATE

register = template.Library()


@register.simple_tag(takes_context=True)
def render_event(context, event):
    """Render one event with its kind's template (the default one for unknown kinds)."""
    info = event.kind_info
    name = info.template if info else DEFAULT_TEMPLATE
    return get_template(name).render(
        {"event": event, "kind": info, "request": context.get("request")}
    )


@register.simple_tag(takes_context=True)
def can_read_programme_activity(context, programme) -> bool:
    """Whether the person viewing may open ``programme``'s activity feed."""
    request = context.get("request")
    return bool(request) and _can_read(request.user, programme)
