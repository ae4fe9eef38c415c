"""What the site-wide navigation asks of scouting, through its permission rules."""

from django import template

from ..permissions import can_log_meetings

register = template.Library()


@register.filter
def logs_meetings(user) -> bool:
    """``{% if user|logs_meetings %}``: the user may log a meeting somewhere."""
    return can_log_meetings(user)
