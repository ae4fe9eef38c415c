from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: events are an audit record, written by services only."""

    list_display = (
        "at",
        "recorded_at",
        "kind",
        "actor",
        "programme",
        "venture_label",
        "visibility",
    )
    list_filter = ("kind", "visibility", "programme")
    search_fields = ("venture_label", "subject_label", "actor__username")
    list_select_related = ("actor", "programme")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
