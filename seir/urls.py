from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from accounts import views as account_views

from .health import healthz

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", login_not_required(healthz), name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("account/", include("security.urls")),
    path("programmes/", include("accounts.programme_urls")),
    path("", include("events.urls")),
    path("ventures/", include("ventures.urls")),
    path("scouting/", include("scouting.urls")),
    path("ventures/", include("plans.urls")),
    path("checklists/", include("checklists.urls")),
    path("commissioning/", include("commissioning.urls")),
    path("funding/", include("funding.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("", include("invitations.urls")),
    path("", include("sitepages.urls")),
    path("inbox/", include("inbox.urls")),
    path("dashboard/", include("progress.urls")),
    path("reports/", include("progress.report_urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]

# A 503 page with Retry-After while the database is unreachable; else the 500 page.
handler500 = "seir.errors.server_error"
