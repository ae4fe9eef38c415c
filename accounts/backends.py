"""Django permissions derived from the global administrator role.

A global administrator manages every model of our apps in the Django admin. The
permissions follow the role (``User.is_global_admin``) instead of an auth group, so
revoking the role revokes them at once and a group cannot grant them on its own.
"""

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission

from .roles import ADMIN_APPS


class GlobalAdminBackend(BaseBackend):
    """Grants a global administrator every permission of ADMIN_APPS. Never signs anyone in."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        from .permissions import access_of, user_is_global_admin

        if obj is not None or not user_is_global_admin(user_obj):
            return set()
        access = access_of(user_obj)  # read once per request, with the roles
        if access.admin_permissions is None:
            access.admin_permissions = {
                f"{app_label}.{codename}"
                for app_label, codename in Permission.objects.filter(
                    content_type__app_label__in=ADMIN_APPS
                ).values_list("content_type__app_label", "codename")
            }
        return access.admin_permissions

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
