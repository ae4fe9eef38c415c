from django.contrib import admin

from seir.admin import ReadOnlyAdmin

from .models import (
    BusinessPlan,
    DraftSection,
    PlanComment,
    PlanCommentReply,
    PlanReview,
    PlanTemplate,
    PlanTemplateSection,
    PlanVersion,
    PlanVersionSection,
)


class PlanTemplateSectionInline(admin.TabularInline):
    model = PlanTemplateSection
    extra = 0
    fields = ("order", "code", "title", "guidance")


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    """Reference data: the sections of a business plan, with guidance for the team."""

    list_display = ("name", "code", "is_default", "is_active")
    list_editable = ("is_active",)
    inlines = [PlanTemplateSectionInline]


class _ReadOnly(ReadOnlyAdmin):
    """Written by the plan services only (on the venture's Business plan tab): shown in
    the admin, never changed there."""


class PlanVersionSectionInline(admin.TabularInline):
    model = PlanVersionSection
    fields = ("order", "title", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(_ReadOnly):
    list_display = ("plan", "number", "review_status", "submitted_by", "submitted_at")
    list_select_related = ("plan__venture", "review", "submitted_by")
    list_filter = ("review__status",)
    search_fields = ("plan__venture__name",)
    inlines = [PlanVersionSectionInline]

    @admin.display(description="Status")
    def review_status(self, obj):
        return obj.review.get_status_display()


@admin.register(BusinessPlan)
class BusinessPlanAdmin(_ReadOnly):
    list_display = ("venture", "status", "latest_number", "template", "updated_at")
    list_select_related = ("venture", "template")
    list_filter = ("status",)
    search_fields = ("venture__name",)


@admin.register(DraftSection)
class DraftSectionAdmin(_ReadOnly):
    list_display = ("plan", "section", "version", "updated_by", "updated_at")
    list_select_related = ("plan__venture", "section", "updated_by")


@admin.register(PlanReview)
class PlanReviewAdmin(_ReadOnly):
    list_display = ("version", "status", "changed_by", "changed_at")
    list_select_related = ("version", "changed_by")


@admin.register(PlanComment)
class PlanCommentAdmin(_ReadOnly):
    list_display = ("version", "section_code", "author", "created_at")
    list_select_related = ("version", "author")


@admin.register(PlanCommentReply)
class PlanCommentReplyAdmin(_ReadOnly):
    list_display = ("comment", "author", "created_at")
    list_select_related = ("comment__version", "author")
