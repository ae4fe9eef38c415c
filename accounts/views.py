from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .roles import Role
from .selectors import (
    programme_members,
    programme_memberships_for,
    programmes_visible_to,
    user_is_global_admin,
    user_primary_role,
    user_roles,
)

# Where each role starts. Roles whose pages arrive in later issues use the home page.
START_PAGES = {
    Role.SEIR: "ventures:board",
    Role.ENTREPRENEUR: "ventures:mine",
    Role.COMMISSIONER: "commissioning:introductions",
}


@require_GET
def home(request):
    role = user_primary_role(request.user)
    if role in START_PAGES and request.GET.get("stay") is None:
        return redirect(START_PAGES[role])
    return render(
        request,
        "accounts/home.html",
        {
            "role": role,
            "roles": user_roles(request.user),
            "memberships": programme_memberships_for(request.user),
            "programmes": programmes_visible_to(request.user),
            "is_admin": user_is_global_admin(request.user),
        },
    )


@require_GET
def programme_list(request):
    return render(
        request,
        "accounts/programme_list.html",
        {"programmes": programmes_visible_to(request.user)},
    )


@require_GET
def programme_detail(request, pk: int):
    programme = get_object_or_404(programmes_visible_to(request.user), pk=pk)
    return render(
        request,
        "accounts/programme_detail.html",
        {"programme": programme, "members": programme_members(programme)},
    )
