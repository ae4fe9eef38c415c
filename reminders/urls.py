from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/new/", views.calendar_link_create, name="calendar_create"),
    path("calendar/off/", views.calendar_link_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
