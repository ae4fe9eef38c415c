"""The Django admin opens for global administrators only.

``has_permission`` asks the roles module rather than trusting ``is_staff`` alone, so a
user whose role was revoked (or who was deactivated) is refused on the next request
even if a stale flag were left somewhere.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SeirAdminSite(admin.AdminSite):
    site_header = "SEiR Pipeline administration"
    site_title = "SEiR Pipeline administration"

    def has_permission(self, request):
        from .selectors import user_is_global_admin

        return user_is_global_admin(request.user)


class SeirAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.SeirAdminSite"
