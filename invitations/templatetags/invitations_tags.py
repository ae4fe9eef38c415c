from django import template

from accounts.permissions import runs_programme

register = template.Library()


@register.simple_tag(takes_context=True)
def can_invite_to(context, programme_id: int) -> bool:
    """Whether the person viewing may invite people into ``programme_id`` (answered from
    the request's cached memberships, without a query)."""
    return runs_programme(context["request"].user, programme_id)
