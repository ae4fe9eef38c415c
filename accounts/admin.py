from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import PROGRAMME_SETTINGS, Programme, ProgrammeMembership, User


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


class MembershipInline(admin.TabularInline):
    """Roles are given and taken away here through the services (each records an event);
    a role is never edited in place: take it away and give the new one."""

    model = ProgrammeMembership
    extra = 1
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False


# A programme's settings (accounts.models.PROGRAMME_SETTINGS) change on its page.


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "host_organisation", "start_date", "end_date", "target_ventures")
    search_fields = ("name", "host_organisation")
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + PROGRAMME_SETTINGS if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New programmes go through the service so the apps above set them up
        # (ventures installs the default stages).
        created = services.programme_create(
            name=obj.name,
            host_organisation=obj.host_organisation,
            start_date=obj.start_date,
            end_date=obj.end_date,
            target_ventures=obj.target_ventures,
            target_stage_code=obj.target_stage_code,
            stuck_after_days=obj.stuck_after_days,
            quiet_after_days=obj.quiet_after_days,
        )
        obj.pk = created.pk
        obj.end_date = created.end_date

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgrammeMembership:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_remove(membership=membership, actor=request.user)
        # Existing rows are read-only (MembershipInline), so every instance is a new role.
        for membership in instances:
            services.membership_add(
                programme=membership.programme,
                user=membership.user,
                role=membership.role,
                actor=request.user,
            )


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "programme", "role", "joined_at")
    list_filter = ("role", "programme")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        # Added and deleted through the services; never edited in place.
        return False

    def save_model(self, request, obj, form, change):
        created = services.membership_add(
            programme=obj.programme, user=obj.user, role=obj.role, actor=request.user
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "programme"):
            services.membership_remove(membership=membership, actor=request.user)
