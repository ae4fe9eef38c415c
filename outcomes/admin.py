from django.contrib import admin

from .models import Indicator, OutcomeDomain


@admin.register(OutcomeDomain)
class OutcomeDomainAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "is_active")
    list_editable = ("is_active",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Read-only: indicators change on the venture's Outcomes tab (services, events)."""

    list_display = ("name", "venture", "domain", "unit", "baseline", "target")
    list_filter = ("domain",)
    list_select_related = ("venture", "domain")
    search_fields = ("name", "venture__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
