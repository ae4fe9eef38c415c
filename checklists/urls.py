from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("ventures/<int:pk>/", views.venture_checklist, name="venture"),
    path("ventures/<int:pk>/start/", views.checklist_start, name="create"),
    path("ventures/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/move/", views.item_move, name="item_move"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:item_id>/evidence/upload/", views.evidence_upload, name="evidence_upload"),
    path("items/<int:item_id>/evidence/link/", views.evidence_link, name="evidence_link"),
    path("evidence/<int:evidence_id>/download/", views.evidence_download, name="evidence_download"),
]
