from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.programme_funding, name="programme"),
    path("venture/<int:pk>/", views.venture_funding, name="venture"),
    path("venture/<int:pk>/add/", views.application_add, name="add"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/status/", views.application_status, name="status"),
    path("applications/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
