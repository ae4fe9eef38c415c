"""What the base layout's navigation needs from commissioning (registered in settings, so
accounts, below every app, never imports commissioning)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from . import permissions


def navigation(request):
    """``nav_introductions``: whether the user may open the introductions page, so the
    navigation offers it to a commissioner's contact without the Commissioner role too.

    Lazy: the layout asks only when it draws no Commissioning link (staff and managers
    have one). Whether the user acts for a commissioner takes one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_introductions": SimpleLazyObject(lambda: permissions.can_list_introductions(user))}
