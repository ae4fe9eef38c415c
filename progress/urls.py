from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:table>.csv", views.dashboard_csv, name="csv"),
    path("rows/<slug:kind>/", views.figure_rows, name="rows"),
]
