from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/set-up/", views.enrol, name="enrol"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("two-factor/backup-codes/new/", views.backup_codes_new, name="backup_codes_new"),
    path("two-factor/turn-off/", views.remove, name="remove"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
