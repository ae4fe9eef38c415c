from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path(
        "programmes/<int:programme_id>/activity/",
        views.programme_activity,
        name="programme_activity",
    ),
    path(
        "programmes/<int:programme_id>/activity.csv",
        views.programme_activity_export,
        name="programme_activity_export",
    ),
]
