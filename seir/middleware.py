"""Response headers the whole site shares (wiring, no domain logic)."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.utils.cache import patch_cache_control

from .signed_out import signed_out_in_place


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, with ``signed_out_in_place`` for htmx requests."""

    def handle_no_permission(self, request, view_func):
        return signed_out_in_place(request) or super().handle_no_permission(request, view_func)


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
