"""Every route needs sign-in unless it is on the short allow-list below.

The test walks the whole URLconf, so a route added later without protection fails here.
"""

import re
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls import converters as url_converters
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

pytestmark = pytest.mark.django_db

# Routes an anonymous visitor may open: signing in, getting back in, the health check,
# and the accessibility statement and privacy notice every public service publishes.
PUBLIC_ROUTES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "admin:login",
    # The link in an invitation email: the invitee has no account yet.
    "invitations:accept",
    "sitepages:accessibility",
    "sitepages:privacy",
    # A person's calendar feed: a calendar app opens it with the secret in its address,
    # never a session (404 without a live secret; reminders/tests/test_calendar.py).
    "reminders:calendar_feed",
}
# Public routes that answer only with a secret in the address (tested in their app).
SECRET_ROUTES = {"reminders:calendar_feed"}
# Public routes that send the visitor to the site's own sign-in (and its second factor).
SIGN_IN_REDIRECTS = {"admin:login"}
# Django's development-only static and media file views (only present with DEBUG).
PUBLIC_VIEW_MODULES = {"django.views.static", "django.contrib.staticfiles.views"}

SAMPLE_VALUES = {
    url_converters.IntConverter: "1",
    url_converters.StringConverter: "x",
    url_converters.SlugConverter: "x",
    url_converters.PathConverter: "x",
    url_converters.UUIDConverter: str(uuid.UUID(int=1)),
}


def _fill_route(pattern: RoutePattern) -> str:
    def sample(match: re.Match) -> str:
        converter = pattern.converters[match.group("name")]
        try:
            return SAMPLE_VALUES[type(converter)]
        except KeyError:
            raise AssertionError(
                f"No sample value for converter {type(converter).__name__} in route "
                f"{pattern._route!r}: add one to SAMPLE_VALUES"
            ) from None

    return re.sub(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>", sample, pattern._route)


def _fill_regex(pattern) -> str:
    regex = pattern.regex
    candidates = ["x", "1", *(config.label for config in apps.get_app_configs())]
    for template, params in normalize(regex.pattern):
        for candidate in candidates:
            piece = template % dict.fromkeys(params, candidate)
            if regex.fullmatch(piece):
                return piece
    raise AssertionError(f"Cannot build a sample path for regex {regex.pattern!r}")


def _fill(pattern) -> str:
    return _fill_route(pattern) if isinstance(pattern, RoutePattern) else _fill_regex(pattern)


def _walk(resolver: URLResolver, prefix: str = "/", namespace: str = ""):
    for entry in resolver.url_patterns:
        path = prefix + _fill(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, path, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield path, name, entry.callback


ALL_ROUTES = list(_walk(get_resolver()))
PROTECTED_ROUTES = [
    (path, name)
    for path, name, callback in ALL_ROUTES
    if name not in PUBLIC_ROUTES and callback.__module__ not in PUBLIC_VIEW_MODULES
]


def _login_pages(name: str | None, path: str) -> set[str]:
    pages = {redirect_to_login(path, reverse("login"))["Location"]}
    if path.startswith("/admin/"):
        # LoginRequiredMiddleware sends admin pages to the site sign-in page before the
        # admin's own check runs; the admin's sign-in page is an equally good answer.
        pages.add(redirect_to_login(path, reverse("admin:login"))["Location"])
    return pages


def test_the_walk_finds_the_routes_we_know():
    # given the URLconf walked from the root
    names = {name for _path, name, _callback in ALL_ROUTES}

    # then it reaches the app routes, the admin and every allow-listed public route
    assert {
        "home",
        "ventures:board",
        "ventures:detail",
        "programmes:detail",
        "admin:index",
    } <= names
    assert PUBLIC_ROUTES <= names
    assert len(PROTECTED_ROUTES) > 30


@pytest.mark.parametrize(
    ("path", "name"),
    PROTECTED_ROUTES,
    ids=[f"{name or '-'} {path}" for path, name in PROTECTED_ROUTES],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, path, name):
    # given an anonymous visitor
    # when they open the route
    response = client.get(path)

    # then they are redirected to a sign-in page that brings them back afterwards
    assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
    assert response["Location"] in _login_pages(name, path)


@pytest.mark.parametrize(
    "name",
    sorted(PUBLIC_ROUTES - {"healthz"} - SECRET_ROUTES - SIGN_IN_REDIRECTS),
    ids=sorted(PUBLIC_ROUTES - {"healthz"} - SECRET_ROUTES - SIGN_IN_REDIRECTS),
)
def test_public_auth_pages_open_without_sign_in(client, name):
    # given an anonymous visitor and a page on the allow-list
    path = next(p for p, n, _callback in ALL_ROUTES if n == name)

    # when they open it
    response = client.get(path)

    # then the page itself answers (a bogus reset link shows the "invalid link" page)
    assert response.status_code == 200, f"{path} ({name}) answered {response.status_code}"


def test_the_admin_sign_in_is_the_sites_own(client):
    # given an anonymous visitor at the admin's sign-in page
    # when they open it
    response = client.get("/admin/login/?next=/admin/accounts/user/")

    # then they are sent to the site's sign-in (which asks for the second factor),
    # brought back to the admin page afterwards
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
