from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from seir.forms import BaseModelForm

from . import gates, services
from .models import (
    DefaultStage,
    FieldChange,
    GateCondition,
    LegalForm,
    Stage,
    StageChange,
    StageTransition,
    TeamMembership,
    Venture,
    VentureNote,
)
from .services.lifecycle import check_people


@admin.register(LegalForm)
class LegalFormAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_incorporated", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(DefaultStage)
class DefaultStageAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "code")
    ordering = ("order",)


class GateConditionForm(BaseModelForm):
    # Only registered kinds can be evaluated; later apps add theirs to the registry.
    kind = forms.ChoiceField(choices=gates.kind_choices)

    class Meta:
        model = GateCondition
        fields = ["order", "label", "kind", "params"]


class GateConditionInline(admin.TabularInline):
    model = GateCondition
    form = GateConditionForm
    extra = 0


class TransitionInline(admin.TabularInline):
    model = StageTransition
    fk_name = "from_stage"
    extra = 0


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("programme", "order", "name", "code")
    list_filter = ("programme",)
    inlines = [GateConditionInline, TransitionInline]


class TeamInline(admin.TabularInline):
    """The team, to read: it changes only on the venture's page, through the services
    (who may change it, the lead kept, programme membership checked, an event recorded)."""

    model = TeamMembership
    extra = 0
    fields = ["user", "role", "added_at"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "Team (change it on the venture's page)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VentureAdminForm(BaseModelForm):
    """The admin's venture form: it validates what the services check, so a save the
    services would refuse comes back as a form error, not a 500."""

    class Meta:
        model = Venture
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme") or (
            self.instance.programme if self.instance.programme_id else None
        )
        if programme is None:
            return cleaned
        stage = cleaned.get("stage")
        if stage is not None and stage.programme_id != programme.pk:
            self.add_error("stage", "That stage belongs to another programme.")
        if "stage" in self.fields and stage is None and not programme.stages.exists():
            self.add_error("programme", f"{programme} has no stages yet: add them first.")
        people = {n: cleaned.get(n) for n in ("lead", "seir") if n in self.changed_data}
        try:
            check_people(programme=programme, **people)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


@admin.register(Venture)
class VentureAdmin(admin.ModelAdmin):
    form = VentureAdminForm
    list_display = ("name", "programme", "stage", "status", "lead", "seir", "updated_at")
    list_filter = ("programme", "status", "origin")
    search_fields = ("name", "summary", "area")
    list_select_related = ("programme", "stage", "lead", "seir")
    inlines = [TeamInline]
    # Stage and status move only through the services (history, gates); a venture's
    # programme is fixed once it exists (its stages, team and history belong to it).
    readonly_fields = ("status", "status_reason", "version", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ("programme", "stage", *self.readonly_fields)

    def get_inlines(self, request, obj):
        # A new venture's team starts with its lead (added by the service).
        return self.inlines if obj is not None and obj.pk else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "stage" in form.base_fields:
            form.base_fields["stage"].required = False
            form.base_fields["stage"].help_text = "Leave empty for the programme's first stage."
        return form

    def save_model(self, request, obj, form, change):
        """Create and edit through the services, like every other page."""
        if change:
            data = form.changed_data_dict()
            if data:
                current = Venture.objects.get(pk=obj.pk)
                services.venture_update_profile(
                    actor=request.user, venture=current, data=data, expected_version=current.version
                )
            saved = Venture.objects.get(pk=obj.pk)
        else:
            fields = (
                "programme", "name", "summary", "need", "beneficiaries", "area",
                "legal_form", "origin", "is_spinout", "lead", "seir", "stage",
            )  # fmt: skip
            saved = services.venture_create(
                actor=request.user, **{n: form.cleaned_data[n] for n in fields if n in form.fields}
            )
        for field in Venture._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("venture", "from_stage", "to_stage", "changed_by", "changed_at")
    list_select_related = ("venture", "from_stage", "to_stage", "changed_by")
    readonly_fields = [f.name for f in StageChange._meta.fields]

    def has_add_permission(self, request):
        return False  # history is written by the services only


@admin.register(FieldChange)
class FieldChangeAdmin(admin.ModelAdmin):
    list_display = ("venture", "field", "changed_by", "changed_at")
    readonly_fields = [f.name for f in FieldChange._meta.fields]

    def has_add_permission(self, request):
        return False  # history is written by the services only


@admin.register(VentureNote)
class VentureNoteAdmin(admin.ModelAdmin):
    """Notes are written on the venture's page (``venture_note_add``: who may write a
    SEiR-only note, and the event that carries the note to the timeline), so here they
    are read, or deleted, never added or changed."""

    list_display = ("venture", "author", "visibility", "created_at")
    list_filter = ("visibility",)
    list_select_related = ("venture", "author")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
