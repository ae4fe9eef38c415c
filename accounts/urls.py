# Django's auth views keep their stock (un-namespaced) names: login, logout,
# password_change, password_reset, ... because they reverse each other by those names.
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import SignInForm
from .views import ThrottledPasswordResetView, session_token

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("session/token/", session_token, name="session_token"),
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
