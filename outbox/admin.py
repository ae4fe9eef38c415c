from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: to see what waits, what failed and why. The drain retries by itself."""

    list_display = ["id", "topic", "created_at", "attempts", "delivered_at", "next_attempt_at"]
    list_filter = ["topic", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["topic", "key", "last_error"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
