from django import forms
from django.contrib import admin

from . import gates
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


@admin.register(LegalForm)
class LegalFormAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_incorporated", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(DefaultStage)
class DefaultStageAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "code")
    ordering = ("order",)


class GateConditionForm(forms.ModelForm):
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
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Venture)
class VentureAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "stage", "status", "lead", "seir", "updated_at")
    list_filter = ("programme", "status", "origin")
    search_fields = ("name", "summary", "area")
    list_select_related = ("programme", "stage", "lead", "seir")
    inlines = [TeamInline]
    # Stage and status move only through the services (history, gates).
    readonly_fields = ("stage", "status", "status_reason", "version", "created_at", "updated_at")


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("venture", "from_stage", "to_stage", "changed_by", "changed_at")
    list_select_related = ("venture", "from_stage", "to_stage", "changed_by")
    readonly_fields = [f.name for f in StageChange._meta.fields]


@admin.register(FieldChange)
class FieldChangeAdmin(admin.ModelAdmin):
    list_display = ("venture", "field", "changed_by", "changed_at")
    readonly_fields = [f.name for f in FieldChange._meta.fields]


admin.site.register(VentureNote)
