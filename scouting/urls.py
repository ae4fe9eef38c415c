from django.urls import path

from . import views

app_name = "scouting"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export.csv", views.meeting_export_csv, name="meeting_export"),
    path("meetings/new/", views.meeting_new, name="meeting_log"),
    path("meetings/draft/", views.draft_autosave, name="draft_save"),
    path("meetings/draft/token/", views.draft_token, name="draft_token"),
    path("meetings/draft/discard/", views.draft_delete, name="draft_discard"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("follow-ups/", views.my_followups, name="followups"),
    path("follow-ups/<int:pk>/done/", views.followup_toggle, name="followup_toggle"),
    path("people/", views.person_list, name="person_list"),
    path("people/export.csv", views.person_export_csv, name="person_export"),
    path("people/new/", views.person_new, name="person_create"),
    path("people/search/", views.person_search, name="person_search"),
    path("people/quick-add/", views.person_quick_add, name="person_quick_add"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/", views.person_merge_page, name="person_merge"),
    path("people/<int:pk>/data/", views.person_data_export, name="person_data"),
    path("people/<int:pk>/erase/", views.person_erase_page, name="person_erase"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/export.csv", views.organisation_export_csv, name="organisation_export"),
    path("organisations/new/", views.organisation_new, name="organisation_create"),
    path("organisations/search/", views.organisation_search, name="organisation_search"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/merge/", views.organisation_merge_page, name="organisation_merge"),
    path("import/", views.directory_import_page, name="import"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/different/", views.duplicate_mark_different, name="duplicate_dismiss"),
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_new, name="idea_create"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<int:pk>/status/", views.idea_status, name="idea_status"),
    path("ideas/<int:pk>/promote/", views.idea_promote_page, name="idea_promote"),
]
