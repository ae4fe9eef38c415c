from django.contrib import admin

from seir.admin import ReadOnlyAdmin

from .models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
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
