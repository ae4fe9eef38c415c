from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("programmes/<int:pk>/invite/", views.invitation_new, name="create"),
    path("programmes/<int:pk>/settings/", views.programme_settings, name="programme_settings"),
    path(
        "programmes/<int:pk>/invitations/<int:invitation_id>/revoke/",
        views.invitation_withdraw,
        name="revoke",
    ),
    path(
        "programmes/<int:pk>/members/<int:membership_id>/remove/",
        views.member_remove_confirm,
        name="member_remove",
    ),
    path("invitations/<str:token>/", views.invitation_open, name="accept"),
]
