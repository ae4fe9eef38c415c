from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import Programme, ProgrammeMembership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")


class MembershipInline(admin.TabularInline):
    model = ProgrammeMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "host_organisation", "start_date", "end_date", "target_ventures")
    search_fields = ("name", "host_organisation")
    inlines = [MembershipInline]

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
        )
        obj.pk = created.pk
        obj.end_date = created.end_date

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for membership in instances:
            if membership.pk:
                membership.save()
            else:
                services.membership_add(
                    programme=membership.programme, user=membership.user, role=membership.role
                )


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "programme", "role", "joined_at")
    list_filter = ("role", "programme")
    search_fields = ("user__username", "user__first_name", "user__last_name")
