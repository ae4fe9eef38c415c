"""The admin's pages for programmes and their roles.

They live here rather than in accounts because taking a role away goes through
``services.member_remove``, the one path for it whoever does it (the programme's page
too): it also ends the access the role gave (an entrepreneur's venture teams, a
commissioner's account links), through apps accounts sits below. Roles are given
through accounts' ``membership_add``. A refusal (your own role, a venture's lead
entrepreneur) is shown as a message and changes nothing: the page's transaction rolls
back."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from accounts import services as account_services
from accounts.models import PROGRAMME_SETTINGS, Programme, ProgrammeMembership
from seir.refusals import Refused

from . import services


class RoleRefused(Exception):
    """``member_remove`` refused: raised through the admin's view so its transaction
    rolls back, and shown by ``RefusalShown`` as a message."""


def _remove(request, membership: ProgrammeMembership) -> None:
    try:
        services.member_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        raise RoleRefused(" ".join(error.messages)) from None
    except Refused as error:
        raise RoleRefused(error.message) from None
    except PermissionDenied as error:
        raise RoleRefused(str(error) or "You cannot remove this role.") from None


class RefusalShown:
    """Answers a refused removal with the page again and the refusal as a message."""

    def _shown(self, view, request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RoleRefused as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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
class ProgrammeAdmin(RefusalShown, admin.ModelAdmin):
    list_display = ("name", "host_organisation", "start_date", "end_date", "target_ventures")
    search_fields = ("name", "host_organisation")
    inlines = [MembershipInline]

    def changeform_view(self, request, *args, **kwargs):
        return self._shown(super().changeform_view, request, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + PROGRAMME_SETTINGS if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New programmes go through the service so the apps above set them up
        # (ventures installs the default stages).
        created = account_services.programme_create(
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
            _remove(request, membership)
        # Existing rows are read-only (MembershipInline), so every instance is a new role.
        for membership in instances:
            account_services.membership_add(
                programme=membership.programme,
                user=membership.user,
                role=membership.role,
                actor=request.user,
            )


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(RefusalShown, admin.ModelAdmin):
    list_display = ("user", "programme", "role", "joined_at")
    list_filter = ("role", "programme")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ["user"]

    def delete_view(self, request, *args, **kwargs):
        return self._shown(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # The "delete selected" action runs here.
        return self._shown(super().changelist_view, request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Added and deleted through the services; never edited in place.
        return False

    def save_model(self, request, obj, form, change):
        created = account_services.membership_add(
            programme=obj.programme, user=obj.user, role=obj.role, actor=request.user
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        _remove(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # All of the selected roles or none (the action itself runs outside a transaction).
        for membership in queryset.select_related("user", "programme"):
            _remove(request, membership)
