from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("venture/<int:pk>/", views.venture_outcomes, name="venture"),
    path("venture/<int:pk>/indicators/", views.indicator_new, name="indicator_add"),
    path(
        "venture/<int:pk>/indicators/<int:indicator_id>/sharing/",
        views.indicator_sharing,
        name="indicator_share",
    ),
    path(
        "venture/<int:pk>/indicators/<int:indicator_id>/measurements/",
        views.measurement_add,
        name="measurement_add",
    ),
    path(
        "venture/<int:pk>/measurements/<int:measurement_id>/correct/",
        views.measurement_correction,
        name="measurement_correct",
    ),
]
