from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("read/", views.things_read, name="read"),
]
