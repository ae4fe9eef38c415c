from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_global_admin",
    )
    list_filter = ("is_global_admin", "is_superuser", "is_active")
    # Roles come from programme memberships and the global administrator flag; auth
    # groups grant none, and admin access (is_staff) follows the global role.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Access",
            {"fields": ("is_active", "is_global_admin", "is_superuser", "is_staff")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("is_staff", "last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser makes superusers.
            fields += ("is_superuser",)
        return fields

    def save_model(self, request, obj, form, change):
        # The access fields change through the services, which check who may change them
        # and record an event like every other change (User.save derives is_staff from
        # them, so unticking one here takes the admin away at once); the rest is saved as
        # the form has it. The admin's change view is one transaction: a refusal undoes all.
        access = set(ACCESS_SERVICES) & set(form.changed_data) if change else set()
        wanted = {field: getattr(obj, field) for field in access}
        for field in access:
            setattr(obj, field, form.initial[field])
        super().save_model(request, obj, form, change)
        for field, service in ACCESS_SERVICES.items():
            if field in wanted:
                service(user=obj, actor=request.user, **{field: wanted[field]})


# Each access field of the user form and the service that changes it, in the order they
# run (and record their events) when one save changes several.
ACCESS_SERVICES = {
    "is_global_admin": services.user_set_global_admin,
    "is_superuser": services.user_set_superuser,
    "is_active": services.user_set_active,
}


# A programme and its roles are in invitations.admin: taking a role away there goes through
# invitations' member_remove, which ends the access the role gave (accounts cannot import it).
