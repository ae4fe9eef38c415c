from django import forms
from django.contrib import admin

from .models import ChecklistTemplate, TemplateItem, TemplateSection


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0
    fields = ["order", "name"]
    show_change_link = True


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    list_editable = ("is_active",)
    prepopulated_fields = {"code": ("name",)}
    inlines = [TemplateSectionInline]


class TemplateItemInline(admin.StackedInline):
    model = TemplateItem
    extra = 0
    fields = [
        ("order", "label", "code"),
        "guidance",
        ("stage_code", "spinout_only", "validity_months", "is_active"),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "guidance":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(TemplateSection)
class TemplateSectionAdmin(admin.ModelAdmin):
    list_display = ("name", "template", "order")
    list_filter = ("template",)
    ordering = ("template", "order")
    inlines = [TemplateItemInline]


@admin.register(TemplateItem)
class TemplateItemAdmin(admin.ModelAdmin):
    list_display = (
        "label",
        "section",
        "stage_code",
        "spinout_only",
        "validity_months",
        "is_active",
    )
    list_filter = ("section__template", "section", "stage_code", "spinout_only", "is_active")
    search_fields = ("label", "guidance")
    list_select_related = ("section",)
    ordering = ("section__template", "section__order", "order")
