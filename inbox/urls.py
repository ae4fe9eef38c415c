from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("read/", views.things_read, name="read"),
    path("notifications/", views.notification_page, name="notifications"),
    path("notifications/read-all/", views.notifications_mark_all, name="read_all"),
    path("notifications/settings/", views.preferences_page, name="preferences"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
    path("notifications/<int:pk>/read/", views.notification_mark, name="mark"),
]
