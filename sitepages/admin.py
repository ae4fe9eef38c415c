from django.contrib import admin
from django.urls import reverse

from .models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """Global administrators edit the text here; the admin's own log (LogEntry) records
    who changed which page and when. The two pages always exist: none is added or
    deleted."""

    list_display = ("title", "kind", "updated_at", "updated_by")
    fields = ("kind", "title", "body", "updated_at", "updated_by")
    readonly_fields = ("kind", "updated_at", "updated_by")
    list_select_related = ("updated_by",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return reverse(f"sitepages:{obj.kind}")
