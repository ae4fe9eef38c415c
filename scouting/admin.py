from django.contrib import admin

from .models import FollowUp, Idea, Meeting, Organisation, Person, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Reference data: the tags people can carry."""

    list_display = ("name", "code", "order", "is_active")
    list_editable = ("order", "is_active")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "area", "programme")
    list_filter = ("sector", "programme")
    search_fields = ("name", "area")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "job_title", "programme", "is_erased")
    list_filter = ("programme", "is_erased", "tags")
    search_fields = ("name", "email")
    raw_id_fields = ("organisation",)
    list_select_related = ("organisation", "programme")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("held_at", "meeting_type", "location", "programme")
    list_filter = ("meeting_type", "programme")
    raw_id_fields = ("attendees", "organisations")
    date_hierarchy = "held_at"


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "programme", "venture")
    list_filter = ("status", "programme")
    raw_id_fields = ("source_meetings", "proposers", "venture")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("what", "assignee", "due", "done", "programme")
    list_filter = ("done", "programme")
    raw_id_fields = ("meeting", "person")
