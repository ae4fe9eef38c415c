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
