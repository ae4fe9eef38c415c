from django.contrib import admin

from .models import Fund, FundingApplication


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "funder",
        "funding_type",
        "maximum",
        "opens_on",
        "closes_on",
        "is_active",
    )
    list_editable = ("is_active",)
    list_filter = ("funding_type", "is_active")
    search_fields = ("name", "funder")


@admin.register(FundingApplication)
class FundingApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change through the venture's Funding tab (services, events)."""

    list_display = ("venture", "fund", "status", "amount_requested", "amount_awarded")
    list_filter = ("status", "fund", "funding_type")
    list_select_related = ("venture", "fund")
    search_fields = ("venture__name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
