from django import template

from accounts.selectors import user_runs_programme

register = template.Library()


@register.simple_tag(takes_context=True)
def can_invite_to(context, programme_id: int) -> bool:
    """Whether the person viewing may invite people into ``programme_id`` (answered from
    the request's cached memberships, without a query)."""
    user = context["request"].user
    return bool(
        user.is_authenticated and user.is_active and user_runs_programme(user, programme_id)
    )
