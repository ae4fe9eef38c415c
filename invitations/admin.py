"""The admin's pages for programmes and their roles.

They live here rather than in accounts because taking a role away goes through
``services.member_remove``, the one path for it whoever does it (the programme's page
too): it also ends the access the role gave (an entrepreneur's venture teams, a
commissioner's account links), through apps accounts sits below. Roles are given
through accounts' ``membership_add``. A refusal (your own role, a venture's lead
entrepreneur) changes nothing: on the programme's page it is an error on the role's row,
found while the form is validated (``member_remove_check``), so the person's other edits
stay in the form; where there is no form to show again (a membership's own delete page,
"delete selected", or a refusal met only at save time) it is a message, and the page's
transaction rolls back."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect

from accounts import services as account_services
from accounts.models import PROGRAMME_SETTINGS, Programme, ProgrammeMembership
from seir.refusals import Refused

from . import services


class RoleRefused(Exception):
    """``member_remove`` refused: raised through the admin's view so its transaction
    rolls back, and shown by ``RefusalShown`` as a message."""


REMOVAL_REFUSALS = (ValidationError, Refused, PermissionDenied)


def _said(error: Exception) -> str:
    """What a removal's refusal says to the person."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, Refused):
        return error.message
    return str(error) or "You cannot remove this role."


def _remove(request, membership: ProgrammeMembership) -> None:
    try:
        services.member_remove(actor=request.user, membership=membership)
    except REMOVAL_REFUSALS as error:
        raise RoleRefused(_said(error)) from None


class RefusalShown:
    """Answers a removal refused while saving with the page again and the refusal as a
    message (the view's transaction has rolled back): a membership's delete page and
    "delete selected" have no form to show it in, and on the programme's page it is
    the net under ``MembershipFormSet`` for a refusal that arose after validation."""

    def _shown(self, view, request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RoleRefused as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class MembershipFormSet(BaseInlineFormSet):
    """A role ticked for deletion that ``member_remove`` would refuse is an error on its
    row before anything is saved: the page comes back with the person's other edits.
    The rule is asked of the service (``member_remove_check``), never restated here."""

    actor = None  # the person saving (MembershipInline.get_formset)

    def clean(self):
        super().clean()
        refused = False
        for form in self.deleted_forms:
            if form.instance.pk is None:
                continue
            try:
                services.member_remove_check(actor=self.actor, membership=form.instance)
            except REMOVAL_REFUSALS as error:
                form.add_error(None, _said(error))
                refused = True
        if refused:
            # A deleted row's own errors do not stop the save: this does.
            raise ValidationError(
                "A role below cannot be removed: nothing was saved. Untick its Delete box "
                "or put right what it says, and save again."
            )


class MembershipInline(admin.TabularInline):
    """Roles are given and taken away here through the services (each records an event);
    a role is never edited in place: take it away and give the new one."""

    model = ProgrammeMembership
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["user"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})

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
