"""Tags are reference data, edited here. Scouting's records are written by its services
only (they keep each record inside its programme, check who may act and record an event
for every change), so the admin shows them read-only; each admin says where the change
is made instead."""

from django.contrib import admin

from seir.admin import ReadOnlyAdmin

from .models import FollowUp, Idea, Meeting, Organisation, Person, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Reference data: the tags people can carry."""

    list_display = ("name", "code", "order", "is_active")
    list_editable = ("order", "is_active")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    """Added and edited on the scouting directory's pages (``organisation_create``,
    ``organisation_update``); two records of one organisation are merged on its merge
    page (``organisation_merge``), which moves what hangs off the removed one."""

    list_display = ("name", "sector", "area", "programme")
    list_filter = ("sector", "programme")
    search_fields = ("name", "area")
    list_select_related = ("programme",)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Added and edited on the directory's pages (``person_create``, ``person_update``),
    merged on the merge page, and erased on the person's erase page (``person_erase``):
    only that writes the erasure log every restore re-applies, so neither the erasure
    flag nor a deletion is offered here."""

    list_display = ("name", "organisation", "job_title", "programme", "is_erased")
    list_filter = ("programme", "is_erased", "tags")
    search_fields = ("name", "email")
    list_select_related = ("organisation", "programme")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    """Logged on the "Log a meeting" page (``meeting_log``), which keeps its attendees,
    organisations and ideas inside the meeting's programme and records the meeting in
    the timelines of the ventures it led to."""

    list_display = ("held_at", "meeting_type", "location", "programme")
    list_filter = ("meeting_type", "programme")
    list_select_related = ("programme",)
    date_hierarchy = "held_at"


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    """Added and edited on the ideas pages (``idea_create``, ``idea_update``); its status
    moves on the idea's page (``idea_set_status``: the allowed moves, a reason to reject
    or park) and it becomes a venture through "Promote to a venture" (``idea_promote``)."""

    list_display = ("title", "status", "programme", "venture")
    list_filter = ("status", "programme")
    list_select_related = ("programme", "venture")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """Added with a meeting (``followup_add``, which tells the assignee) and marked done
    or reopened on "My follow-ups" (``followup_set_done``)."""

    list_display = ("what", "assignee", "due", "done", "programme")
    list_filter = ("done", "programme")
    list_select_related = ("assignee", "programme")
