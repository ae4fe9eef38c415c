"""No route answers 5xx to hostile input, whoever asks (issue 6, item 4).

The test walks the whole URLconf, so routes added later by any app are covered without
editing it. Path converters are filled with the ids of real rows from a small seeded
dataset (found by the parameter's name, or by the admin's app and model in the path),
so pages render their real content. Each route is requested as each role:

- GET with hostile values (negative, huge, non-numeric and fractional numbers, unknown
  choices, unicode, NUL, 5,000 characters) for the common parameter names and for every
  field name of the page's own forms, all at once and one name at a time;
- POST with hostile values for the same names and the fields of the forms that post to
  the route.

Requests that would end the session (sign-out) or delete the seeded rows go last.
"""

from __future__ import annotations

import re
import traceback

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.regex_helper import normalize

from accounts.factories import ProgrammeFactory, UserFactory, member
from accounts.roles import Role
from tests.html_forms import page_forms
from ventures import services
from ventures.factories import VentureFactory
from ventures.models import GateConfirmation, Stage, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
NUL = "\x00"
HOSTILE_VALUES = [
    "-1",
    HUGE,
    "abc",
    "1.5e309",
    "no-such-choice",
    "ü名🙂\u202e",
    NUL,
    "x" * 5000,
]
POST_VALUES = [HUGE, NUL, "-1", "ü名🙂\u202e" + "x" * 5000]
# The ends of the calendar: valid dates whose day after (or whose midnight in UTC) is not
# (issue 21). Each is sent to every date parameter: the date inputs of a page's forms and
# the names the list filters read.
DATE_VALUES = ["0001-01-01", "9999-12-31"]
DATE_NAMES = ["date_from", "date_to", "made_after", "made_before"]
_DATE_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
# The admin pages that read query strings (search, filters, sorting, paging); the add
# and change pages get one POST of spread hostile values each.
FULL_ADMIN = re.compile(r"_changelist$")
# What the pages read from query strings and forms, and what such pages usually read.
COMMON_NAMES = [
    "page",
    "offset",
    "limit",
    "q",
    "o",
    "p",
    "e",
    "id",
    "pk",
    "programme",
    "stage",
    "status",
    "origin",
    "seir",
    "lead",
    "legal_form",
    "stale_days",
    "sort",
    "next",
    "to",
    "stay",
    "version",
    "action",
    "format",
    "submission_token",
]
ROLES = ["anonymous", "administrator", "seir", "manager", "commissioner", "entrepreneur", "root"]
# Routes that end the session or remove the seeded rows are posted to last.
LAST = re.compile(r"logout|delete|remove|password")


# --- the seeded dataset ------------------------------------------------------------------


def seed() -> dict:
    programme = ProgrammeFactory(name="Birmingham East and North SEiR programme")
    ProgrammeFactory(name="Solihull Council SEiR programme")
    people = {
        "administrator": member(programme, Role.ADMINISTRATOR, username="ada"),
        "seir": member(programme, Role.SEIR, username="samira"),
        "manager": member(programme, Role.MANAGER, username="michael"),
        "commissioner": member(programme, Role.COMMISSIONER, username="claire"),
        "entrepreneur": member(programme, Role.ENTREPRENEUR, username="parveen"),
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    newcomer = member(programme, Role.ENTREPRENEUR, username="daniel")
    seir = people["seir"]
    venture = VentureFactory(
        programme=programme, name="Saheli Women's Centre", lead=people["entrepreneur"], seir=seir
    )
    VentureFactory(programme=programme, stage_code="startup", seir=seir)
    services.venture_note_add(
        actor=seir, venture=venture, body="Met the trustees.", visibility="team"
    )
    services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkhill"}, expected_version=1
    )
    services.team_member_add(actor=seir, venture=venture, user=newcomer, role=TeamRole.MEMBER)
    condition = venture.stage.gate_conditions.first()
    GateConfirmation.objects.create(
        venture=venture, condition=condition, confirmed_by=seir, confirmed_at=timezone.now()
    )
    ids = {
        "pk": venture.pk,
        "stage_id": venture.stage_id,
        "change_id": venture.field_changes.first().pk,
        "condition_id": condition.pk,
        "membership_id": TeamMembership.objects.get(venture=venture, user=newcomer).pk,
    }
    return {"people": people, "ids": ids, "programme": programme}


# --- walking the URLconf with real ids -----------------------------------------------------


def _model_named(name: str):
    wanted = name.replace("_", "").lower()
    for model in apps.get_models():
        if model._meta.model_name == wanted:
            return model
    return None


def _real_id(name: str, prefix: str, namespace: str, ids: dict) -> str:
    admin_model = re.match(r"^/admin/(\w+)/(\w+)/", prefix)
    if name == "object_id" and admin_model:
        try:
            model = apps.get_model(*admin_model.groups())
        except LookupError:
            model = None
    elif name in ids and (name != "pk" or namespace.startswith("ventures")):
        return str(ids[name])
    elif name in ("pk", "id"):
        # /programmes/<pk>/ -> Programme: the namespace names the model, in the plural.
        model = _model_named(namespace.split(":")[0].rstrip("s")) if namespace else None
    else:
        model = _model_named(name.removesuffix("_id"))
    row = model._default_manager.order_by("pk").first() if model else None
    return str(row.pk) if row is not None else "1"


def _fill(pattern, prefix: str, namespace: str, ids: dict) -> str:
    if isinstance(pattern, RoutePattern):

        def sample(match: re.Match) -> str:
            converter = pattern.converters[match.group("name")]
            value = _real_id(match.group("name"), prefix, namespace, ids)
            try:
                converter.to_python(value)
            except (ValueError, TypeError):
                value = "x"
            return value

        return re.sub(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>", sample, pattern._route)
    regex = pattern.regex
    candidates = ["x", "1", *(config.label for config in apps.get_app_configs())]
    for template, params in normalize(regex.pattern):
        for candidate in candidates:
            piece = template % dict.fromkeys(params, candidate)
            if regex.fullmatch(piece):
                return piece
    raise AssertionError(f"Cannot build a sample path for regex {regex.pattern!r}")


def routes(ids: dict, resolver: URLResolver | None = None, prefix="/", namespace="") -> list:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            path = prefix + _fill(entry.pattern, prefix, inner, ids)
            found += routes(ids, entry, path, inner)
        elif isinstance(entry, URLPattern):
            path = prefix + _fill(entry.pattern, prefix, namespace, ids)
            if entry.callback.__module__ not in ("django.views.static",):
                found.append((path, f"{namespace}{entry.name or '-'}"))
    return found


# --- the sweep ----------------------------------------------------------------------------


class Sweep:
    def __init__(self, client: Client):
        self.client = client
        self.failures: list[str] = []
        self.requests = 0

    def request(self, method: str, path: str, data: dict, label: str):
        self.requests += 1
        try:
            response = getattr(self.client, method)(path, data)
            if response.streaming:  # a streamed export reads its rows as it is sent
                b"".join(response.streaming_content)
        except Exception:  # the test client re-raises what would have been a 500
            self.failures.append(f"{method.upper()} {path} {label}: {traceback.format_exc()}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path} {label}: {response.status_code}")
        return response


def _form_names(response, *, method: str, path: str | None = None) -> set[str]:
    if response is None or "html" not in response.get("Content-Type", ""):
        return set()
    names = set()
    for form in page_forms(response.content):
        if form.method != method:
            continue
        if path is None or form.action in ("", path) or form.action.split("?")[0] == path:
            names.update(form.names)
    return names - {"csrfmiddlewaretoken"}


def _date_names(response, *, method: str) -> set[str]:
    """The names of the page's ``<input type="date">`` fields in forms of ``method``."""
    if response is None or "html" not in response.get("Content-Type", ""):
        return set()
    html = response.content.decode(errors="replace")
    dated = set()
    for tag in _DATE_INPUT.findall(html):
        if re.search(r"""type=["']?date\b""", tag, re.IGNORECASE):
            found = re.search(r"""name=["']([^"']+)["']""", tag)
            if found:
                dated.add(found.group(1))
    return dated & _form_names(response, method=method)


def _is_full(path: str, name: str, role: str) -> bool:
    """Which routes get every variant; the others get a sample (one GET and one POST
    that spread the hostile values over the names). The Django admin's pages get every
    variant as the superuser, whose admin is complete; the rest of the site gets every
    variant for every role but the superuser (who sees what the administrator sees)."""
    if path.startswith("/admin/"):
        return role == "root" and bool(FULL_ADMIN.search(name))
    return role != "root"


def _spread(names: list[str], values: list[str]) -> dict[str, str]:
    """Each name gets the next hostile value in turn: many values in one request."""
    return {name: values[i % len(values)] for i, name in enumerate(names)}


def sweep_as(client: Client, ids: dict, role: str) -> Sweep:
    sweep = Sweep(client)
    all_routes = routes(ids)
    post_names: dict[str, set[str]] = {}
    post_dates: dict[str, set[str]] = {}
    full: dict[str, bool] = {}
    for path, name in all_routes:
        page = sweep.request("get", path, {}, f"({name})")
        rendered = page is not None and page.status_code == 200
        # A page that did not render (sign-in redirect, 403, 404, 405) gets the sample.
        full[path] = rendered and _is_full(path, name, role)
        own_fields = _form_names(page, method="get") if rendered else set()
        names = sorted(set(COMMON_NAMES) | own_fields)
        if full[path]:
            for value in HOSTILE_VALUES:
                sweep.request("get", path, dict.fromkeys(names, value), f"({name}) {value[:9]!r}")
            # One name at a time too: a form rejecting one value must not hide another.
            for field in sorted(own_fields):
                for value in (HUGE, NUL):
                    sweep.request("get", path, {field: value}, f"({name}) {field}={value!r}")
            # Every date parameter at each end of the calendar, together and one by one.
            dates = sorted(_date_names(page, method="get") | set(DATE_NAMES))
            for value in DATE_VALUES:
                sweep.request("get", path, dict.fromkeys(dates, value), f"({name}) {value}")
                for field in dates:
                    sweep.request("get", path, {field: value}, f"({name}) {field}={value}")
        else:
            sweep.request("get", path, _spread(names, HOSTILE_VALUES), f"({name}) spread")
        # Forms on any page that post to a route teach us that route's field names.
        for form in page_forms(page.content) if rendered and "html" in page["Content-Type"] else []:
            if form.method == "post":
                target = form.action.split("?")[0] or path
                post_names.setdefault(target, set()).update(form.names)
        if rendered:
            for field in _date_names(page, method="post"):
                post_dates.setdefault(path, set()).add(field)
    ordered = sorted(all_routes, key=lambda route: bool(LAST.search(route[0])))
    for path, name in ordered:
        names = sorted((set(COMMON_NAMES) | post_names.get(path, set())) - {"csrfmiddlewaretoken"})
        if full[path] or (path in post_names and not path.startswith("/admin/")):
            for value in POST_VALUES:
                sweep.request("post", path, dict.fromkeys(names, value), f"({name}) {value[:9]!r}")
            for value in DATE_VALUES if post_dates.get(path) else ():
                dated = {**dict.fromkeys(names, "1"), **dict.fromkeys(post_dates[path], value)}
                sweep.request("post", path, dated, f"({name}) dates={value}")
        else:
            sweep.request("post", path, _spread(names, HOSTILE_VALUES), f"({name}) spread")
    return sweep


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_5xx_to_hostile_input(role):
    # given: a small programme with a person in every role
    data = seed()
    client = Client()
    if role != "anonymous":
        client.force_login(data["people"][role])

    # when: every route is requested with hostile query strings and form values
    sweep = sweep_as(client, data["ids"], role)

    # then: none answered 5xx
    assert sweep.requests > 300
    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.requests} requests failed:\n" + (
        "\n".join(sweep.failures[:10])
    )


def test_the_walk_uses_real_rows():
    data = seed()
    found = {name: path for path, name in routes(data["ids"])}
    venture_id = data["ids"]["pk"]

    assert found["ventures:detail"] == f"/ventures/{venture_id}/"
    assert found["ventures:board_column"] == f"/ventures/board/column/{data['ids']['stage_id']}/"
    assert found["programmes:detail"] == f"/programmes/{data['programme'].pk}/"
    first_stage = Stage.objects.order_by("pk").first()
    assert found["admin:ventures_stage_change"] == f"/admin/ventures/stage/{first_stage.pk}/change/"


def test_overlong_username_is_refused_before_the_lockout_records_it(client):
    # The lockout's username column holds 255 characters: on PostgreSQL a longer one
    # was a 500 (found by the sweep above).
    response = client.post(reverse("login"), {"username": "ü" * 5000, "password": "x"})

    assert response.status_code == 200
    assert "The username or password is not right." in response.content.decode()
    assert AccessAttempt.objects.count() == 0
