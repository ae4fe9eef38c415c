from django.contrib import admin

from .models import CalendarFeed, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["text", "recipient", "kind", "created_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["key", "text"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    # The hash is useless to a reader; the secret itself is never stored.
    readonly_fields = ["user", "token_hash", "created_at"]

    def has_add_permission(self, request):
        return False
