from django import template

from ..selectors import STATUS_BADGES

register = template.Library()


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap badge classes for an item status (colour is never the only cue: the
    badge always carries the status in words)."""
    return STATUS_BADGES.get(status, "text-bg-light border")
