"""Walking the URLconf for the permission matrix, and classing what a request answered.

``routes()`` lists every named route once (the first pattern of a name is the one
``reverse`` and ``resolve`` use), with the parameters its address needs. ``address()``
fills them from the world: a matrix row's ``on`` says which world object each parameter
names; the Django admin's own parameters (an app label, an object id, a content type)
are filled from the database by the admin's conventions.

``outcome()`` classes a response as the matrix compares it:

- ``allowed``: any answer that is not a refusal: 2xx, a redirect anywhere but a sign-in
  page, and for a POST also 400/422 or a 200 showing form errors (a POST with no data
  must not need valid data to be told apart from a refusal);
- ``refused``: 403, 404, 405, or a redirect to a sign-in page (the site's or the admin's)
  that brings the person back afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

ALLOWED, REFUSED, ERROR = "allowed", "refused", "error"
# Development-only static and media file views (present only with DEBUG). Unnamed
# routes (the admin's) are named ``<namespace>:<unnamed /their/pattern/>``.
SKIPPED_VIEW_MODULES = {"django.views.static", "django.contrib.staticfiles.views"}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    patterns: tuple  # the route's pattern and those of the resolvers above it, outermost first

    @property
    def params(self) -> list[str]:
        names = []
        for pattern in self.patterns:
            if isinstance(pattern, RoutePattern):
                names += [m.group("name") for m in _PARAM.finditer(pattern._route)]
            else:
                names += list(pattern.regex.groupindex)
        return names

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _walk(resolver: URLResolver, patterns: tuple = (), namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, (*patterns, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            if entry.callback.__module__ in SKIPPED_VIEW_MODULES:
                continue
            route = "".join(str(p) for p in (*patterns, entry.pattern))
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed /{route}>"
            yield Route(name, (*patterns, entry.pattern))


def routes() -> list[Route]:
    """Every named route, once, in URLconf order."""
    seen, found = set(), []
    for route in _walk(get_resolver()):
        if route.name not in seen:
            seen.add(route.name)
            found.append(route)
    return found


def _fill(pattern, values: dict[str, str], candidates=()) -> str:
    if isinstance(pattern, RoutePattern):
        return _PARAM.sub(lambda m: values[m.group("name")], pattern._route)
    regex = pattern.regex
    for template, params in normalize(regex.pattern):
        tries = [dict(values)] if set(params) <= set(values) else []
        tries += [{**values, **dict.fromkeys(set(params) - set(values), c)} for c in candidates]
        for filled in tries:
            piece = template % {p: filled[p] for p in params}
            if regex.fullmatch(piece):
                return piece
    raise AssertionError(f"Cannot build an address for regex {regex.pattern!r} from {values}")


def _admin_values(route: Route, prefix: str, world) -> dict[str, str]:
    values = {}
    found = re.match(r"^/admin/(\w+)/(\w+)/", prefix)
    # A model's pages name its row ``object_id`` (``id`` for a user's password form).
    # (``pk`` for django-otp's device configuration and QR code pages).
    ids = [p for p in route.params if p in ("object_id", "id", "pk")]
    if ids and found and route.name != "admin:view_on_site":
        try:
            model = apps.get_model(*found.groups())
        except LookupError:
            model = None
        row = model._default_manager.order_by("pk").first() if model else None
        values.update(dict.fromkeys(ids, str(row.pk) if row else "1"))
    if route.name == "admin:view_on_site":
        values["content_type_id"] = world.value("organisation_content_type")
        values["object_id"] = world.value("commissioner_org")
    return values


def address(route: Route, on: dict[str, str], world) -> str:
    """The path of ``route`` about the world's objects named in ``on``."""
    values = {param: world.value(key) for param, key in on.items()}
    path = "/"
    labels = [config.label for config in apps.get_app_configs()]
    for pattern in route.patterns:
        if route.is_admin:
            values = {**_admin_values(route, path, world), **values}
        path += _fill(pattern, values, candidates=labels)
    return path


def missing_params(route: Route, on: dict[str, str]) -> list[str]:
    if route.is_admin:
        return []
    return [param for param in route.params if param not in on]


def _sign_in_pages() -> set[str]:
    return {reverse("login"), reverse("admin:login")}


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return ERROR
    if status in (403, 404, 405):
        return REFUSED
    if 300 <= status < 400:
        # Sent to sign in, to come back afterwards. (Signing out also lands on the
        # sign-in page, without a way back: that is the sign-out working.)
        location = urlsplit(response["Location"])
        if location.path in _sign_in_pages() and "next=" in location.query:
            return REFUSED
    return ALLOWED


def describe(response) -> str:
    """What came back, for a failure message: ``302 -> /accounts/login/?next=...``."""
    if 300 <= response.status_code < 400:
        return f"{response.status_code} -> {response['Location']}"
    return str(response.status_code)
