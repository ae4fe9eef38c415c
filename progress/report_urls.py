"""/reports/: the 12-month target reports (mounted in seir/urls.py)."""

from django.urls import path

from . import report_views as views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.report_generate_start, name="generate"),
    path("runs/<int:pk>/", views.report_run_page, name="run"),
    path("runs/<int:pk>/status/", views.report_run_status, name="run_status"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/report.csv", views.report_csv, name="csv"),
    path("<int:pk>/report.pdf", views.report_pdf, name="pdf"),
]
