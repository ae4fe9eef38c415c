from django.urls import path

from . import views

app_name = "commissioning"

urlpatterns = [
    path("", views.commissioner_list, name="commissioners"),
    path("commissioners/new/", views.commissioner_new, name="commissioner_create"),
    path("commissioners/<int:pk>/", views.commissioner_detail, name="commissioner"),
    path("commissioners/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("commissioners/<int:pk>/priorities/new/", views.priority_new, name="priority_create"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/windows/new/", views.window_create, name="window_create"),
    path("introductions/", views.pipeline, name="introductions"),
    path("introductions/export.csv", views.export, name="export"),
    path("introductions/new/", views.introduction_create, name="introduction_create"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction"),
    path("introductions/<int:pk>/step/", views.introduction_step, name="introduction_step"),
    path(
        "introductions/<int:pk>/respond/", views.introduction_respond, name="introduction_respond"
    ),
    path("ledger/", views.ledger, name="ledger"),
    path("ventures/<int:pk>/", views.venture_tab, name="venture_tab"),
    path("ventures/<int:pk>/focus/", views.focus_set, name="focus"),
    path("ventures/<int:pk>/contracts/new/", views.contract_create, name="contract_create"),
    path("ventures/<int:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
]
