from django import template

from ..permissions import can_read_programme_activity as _can_read
from ..rendering import event_when, render_event

register = template.Library()


@register.simple_tag(name="render_event")
def render_event_tag(event):
    """Render one event with its kind's template (the default one for unknown kinds)."""
    return render_event(event)


@register.simple_tag(name="event_when")
def event_when_tag(event, stacked=False):
    """When the event happened (and was recorded, if apart): the activity tables' column."""
    return event_when(event, stacked=stacked)


@register.simple_tag(takes_context=True)
def can_read_programme_activity(context, programme) -> bool:
    """Whether the person viewing may open ``programme``'s activity feed."""
    request = context.get("request")
    return bool(request) and _can_read(request.user, programme)
