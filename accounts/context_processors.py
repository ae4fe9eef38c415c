from .roles import STAFF_ROLES, Role
from .selectors import user_is_global_admin, user_primary_role, user_roles


def navigation(request):
    """What the base layout needs to draw the navigation for the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "nav_role": user_primary_role(user),
        "nav_roles": roles,
        "nav_is_staff_role": any(r in STAFF_ROLES for r in roles),
        "nav_sees_pipeline": any(r in STAFF_ROLES or r == Role.MANAGER for r in roles),
        "nav_is_entrepreneur": Role.ENTREPRENEUR in roles,
        "nav_is_global_admin": user_is_global_admin(user),
        "Role": Role,
    }
