"""Response headers the whole site shares (wiring, no domain logic)."""

from django.conf import settings


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


NUL = "\x00"
REPLACEMENT = "\ufffd"


def _without_nul(query):
    """``query`` with each NUL character in its names and values made U+FFFD."""
    if not any(NUL in key or any(NUL in v for v in values) for key, values in query.lists()):
        return query
    cleaned = query.copy()
    cleaned.clear()
    for key, values in query.lists():
        cleaned.setlist(
            key.replace(NUL, REPLACEMENT), [v.replace(NUL, REPLACEMENT) for v in values]
        )
    cleaned._mutable = False
    return cleaned


class NulCharacterMiddleware:
    """No query string or form value reaches a view with a NUL character in it: each
    becomes U+FFFD, as a browser shows it. A NUL is never typed, and a form that refused
    one (Django's validators do) showed it back in the field and in its error message,
    raw in the HTML (found by tests/test_hostile_input.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            request.POST = _without_nul(request.POST)
        return self.get_response(request)
