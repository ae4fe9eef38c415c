from .permissions import reads_programme, runs_programme, user_is_global_admin, user_roles
from .roles import Role
from .selectors import user_primary_role


def navigation(request):
    """What the base layout needs to draw the navigation for the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "nav_role": user_primary_role(user=user),
        "nav_roles": roles,
        "nav_is_staff_role": runs_programme(user),
        "nav_sees_pipeline": reads_programme(user),
        "nav_is_entrepreneur": Role.ENTREPRENEUR in roles,
        "nav_is_global_admin": user_is_global_admin(user),
        "Role": Role,
    }
