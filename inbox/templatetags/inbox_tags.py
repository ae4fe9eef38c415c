from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("inbox/partials/bell.html", takes_context=True)
def notification_bell(context):
    """The bell in the navigation with the person's unread count, rendered live on every
    page (the navigation is outside the cached part of a page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    return {
        "unread": unread_count(user=user) if user is not None else 0,
        "current": current == "inbox:notifications",
    }
