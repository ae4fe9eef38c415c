"""Sends a signed-in person who must pass the second factor to do so before any page.

A session is let through when it passed a code (``accounts.sessions.VERIFIED``), or when
its person needs none: neither required to (``security.policy``) nor enrolled. That last
answer is kept in the session for ``TWO_FACTOR_RECHECK_SECONDS`` and then asked again,
so a programme that starts requiring it reaches its members' open sessions too.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.sessions import EXEMPT, TWO_FACTOR, TWO_FACTOR_CHECKED, VERIFIED, now_seconds

from .policy import needs_second_factor

# Pages a person on their way through the second factor may open.
EXEMPT_URL_NAMES = frozenset({"logout", "login"})


def two_factor_exempt(view):
    """Mark a view as reachable before the second factor (the sign-in steps themselves)."""
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session = request.session
        state = session.get(TWO_FACTOR)
        if state == VERIFIED:
            return None
        if getattr(view_func, "two_factor_exempt", False) or not getattr(
            view_func, "login_required", True
        ):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in EXEMPT_URL_NAMES and not match.namespace:
            return None
        now = now_seconds()
        checked = session.get(TWO_FACTOR_CHECKED)
        if (
            state == EXEMPT
            and isinstance(checked, int)
            and now - checked < settings.TWO_FACTOR_RECHECK_SECONDS
        ):
            return None
        if not needs_second_factor(user):
            session[TWO_FACTOR] = EXEMPT
            session[TWO_FACTOR_CHECKED] = now
            return None
        session.pop(TWO_FACTOR, None)
        url = reverse("security:verify")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
