import hashlib
import logging

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from seir.devices import is_phone, vary_on_device

from . import hooks
from .client_ip import client_ip
from .permissions import user_is_global_admin, user_roles
from .roles import Role
from .selectors import (
    programme_members_visible_to,
    programme_memberships_for,
    programmes_visible_to,
    user_primary_role,
)
from .throttle import throttle_hit

log = logging.getLogger(__name__)

# Where each role starts. Roles whose pages arrive in later issues use the home page.
START_PAGES = {
    Role.SEIR: "ventures:board",
    Role.MANAGER: "progress:dashboard",
    Role.ENTREPRENEUR: "ventures:mine",
    Role.COMMISSIONER: "commissioning:introductions",
}
# On a phone (seir/devices.py) a SEiR logs meetings far more than they move cards on a
# five-column board: they start on the scouting page.
PHONE_START_PAGES = {Role.SEIR: "scouting:home"}


@require_GET
def home(request):
    role = user_primary_role(user=request.user)
    if role in START_PAGES and request.GET.get("stay") is None:
        pages = PHONE_START_PAGES if is_phone(request) else {}
        return vary_on_device(redirect(pages.get(role, START_PAGES[role])))
    return render(
        request,
        "accounts/home.html",
        {
            "role": role,
            "roles": user_roles(request.user),
            "memberships": programme_memberships_for(user=request.user),
            "programmes": programmes_visible_to(user=request.user),
            "is_admin": user_is_global_admin(request.user),
        },
    )


@require_GET
def programme_list(request):
    return render(
        request,
        "accounts/programme_list.html",
        {"programmes": programmes_visible_to(user=request.user)},
    )


@require_GET
def programme_detail(request, pk: int):
    programme = get_object_or_404(programmes_visible_to(user=request.user), pk=pk)
    scope, members = programme_members_visible_to(user=request.user, programme=programme)
    return render(
        request,
        "accounts/programme_detail.html",
        {
            "programme": programme,
            "scope": scope,
            "members": members,
            **hooks.programme_page_context(request=request, programme=programme),
        },
    )


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view, throttled per client address and per email address.

    A throttled request gets the same neutral "if the account exists, we sent an email"
    page as any other, but nothing is sent: nobody can flood an inbox, and the answer
    says nothing about which accounts exist.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        hour = 60 * 60
        address = client_ip(self.request)
        account = hashlib.sha256(email.encode()).hexdigest()
        if throttle_hit(
            f"reset:address:{address}",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            period_seconds=hour,
        ) or throttle_hit(
            f"reset:account:{account}",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT,
            period_seconds=hour,
        ):
            log.warning("Password reset throttled (address %s)", address)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@require_GET
def session_token(request):
    """The current CSRF token, for a page left open while its person signed in again in
    another tab (sign-in rotates the token; the cookie is HttpOnly): static/js/seir.js
    puts it in the page's forms so what was typed can be sent again. Same-origin only
    (CORS is off); someone signed out is sent to sign in, which the script reads as no."""
    response = JsonResponse({"token": get_token(request)})
    patch_cache_control(response, private=True, no_store=True)
    return response
