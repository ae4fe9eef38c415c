"""The Django admin opens for global administrators only.

``has_permission`` asks the roles module rather than trusting ``is_staff`` alone, so a
user whose role was revoked (or who was deactivated) is refused on the next request
even if a stale flag were left somewhere.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse

from seir.admin import UniqueClashShown

from .sessions import session_is_verified


class SeirAdminSite(admin.AdminSite):
    site_header = "SEiR Pipeline administration"
    site_title = "SEiR Pipeline administration"

    def has_permission(self, request):
        from .permissions import user_is_global_admin

        # As django-otp's OTPAdminSite: only a session that passed the second factor.
        return user_is_global_admin(request.user) and session_is_verified(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin shows a unique-key clash as a form error (``UniqueClashShown``),
        whichever app or library registers it."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, UniqueClashShown):
            admin_class = type(
                admin_class.__name__,
                (UniqueClashShown, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    @login_not_required
    def login(self, request, extra_context=None):
        """Signing in to the admin is the site's own sign-in, with its second factor."""
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': target})}")


class SeirAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SeirAdminSite"
