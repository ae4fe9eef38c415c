"""Response headers the whole site shares (wiring, no domain logic)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from .signed_out import signed_out_in_place


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, with ``signed_out_in_place`` for htmx requests, and a form sent while
    signed out brought back to its page after signing in."""

    def handle_no_permission(self, request, view_func):
        in_place = signed_out_in_place(request)
        if in_place is not None:
            return in_place
        page = _page_sent_from(request) if request.method not in ("GET", "HEAD") else None
        if page is None:
            return super().handle_no_permission(request, view_func)
        # A form sent while signed out: after signing in, come back to the page it was on,
        # not to the address it was sent to (a GET of a POST-only address answers 405).
        return redirect_to_login(
            page, self.get_login_url(view_func), self.get_redirect_field_name(view_func)
        )


def _page_sent_from(request) -> str | None:
    """The path of the page of this site a form was sent from (its Referer), if any."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "") or None


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` so no page (or anything injected into one) can use
    the camera, microphone, location and other powerful browser features."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivatePagesMiddleware:
    """Sends ``Cache-Control: no-store, private`` with every answer to someone signed in
    that does not say otherwise: a page of a venture, a person or a report is never kept
    by a shared proxy, nor by the browser of a shared NHS computer for the next person to
    reach with Back after signing out. Static files (WhiteNoise, before this) keep their
    long cache; pages that set their own header (downloads, the calendar feed) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "Cache-Control" not in response and user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
