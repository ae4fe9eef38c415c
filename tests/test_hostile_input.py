"""No route answers 5xx to hostile input, whoever asks (issue 6, item 4), and each answer
means what its status code says (issue 20, item 4).

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

Each answer is read to its end and checked for what it means (``_meaning``): no page shows
a traceback or a NUL; a 200 page is a page of the site (``<main>`` and ``<h1>``) and a
hostile value sent to one of its own date or number inputs is refused with the field's
error or ignored, never shown back as accepted; a file has a file's content type; a
redirect stays on the site; a 400 says what was wrong; 403 and 404 are the site's own
pages. A POST answered 4xx changes none of the seeded tables' row counts.
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


# What each answer must mean, by status code (issue 20, item 4).
TRACEBACK = "Traceback (most recent call last)"
FIELD_ERROR = re.compile(r"invalid-feedback|aria-invalid=\"true\"|alert-danger|errorlist")
# Inputs whose value the browser can only send in a fixed shape: a hostile value shown
# back in one of them, without an error, was neither refused nor ignored.
SHAPED_INPUTS = {"number", "date", "datetime-local", "month", "week", "time", "range"}
# What the site sends that is not a page: exports, feeds and fragments' data.
FILE_TYPES = re.compile(
    r"^(text/csv|text/calendar|text/plain|application/json|application/pdf|"
    r"application/vnd\.openxmlformats-officedocument\.\w+\.\w+|image/\w+)"
)
_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)


def _counted_models() -> list:
    """The seeded tables a refused POST must leave as they were."""
    from events.models import Event
    from ventures.models import FieldChange, StageChange, Venture, VentureNote

    return [Venture, StageChange, FieldChange, VentureNote, TeamMembership, Event]


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in _counted_models()}


def _input_kinds(html: str) -> dict[str, str]:
    """name -> type of each ``<input>`` on the page."""
    kinds = {}
    for tag in _INPUT.findall(html):
        name = re.search(r"""\bname=["']([^"']+)["']""", tag)
        kind = re.search(r"""\btype=["']?([\w-]+)""", tag, re.IGNORECASE)
        if name:
            kinds.setdefault(name.group(1), kind.group(1).lower() if kind else "text")
    return kinds


def _meaning(method: str, response, body: bytes, data: dict, fields: set[str]) -> list[str]:
    """What is wrong with what the answer says; empty when it means what it should."""
    status = response.status_code
    kind = response.get("Content-Type", "")
    html = body.decode(errors="replace") if "html" in kind else ""
    text = body.decode(errors="replace")
    wrong = []
    if TRACEBACK in text:
        wrong.append("shows a Python traceback")
    if "html" in kind and NUL in text:
        wrong.append("echoes a NUL character")
    document = "<html" in html.lower()
    if status in (301, 302, 303, 307, 308):
        target = response.get("Location", "")
        if not target.startswith("/") or target.startswith("//"):
            wrong.append(f"redirects off the site to {target[:80]!r}")
    elif status == 200 and "html" in kind:
        # A fragment (an htmx swap: search suggestions, more board cards) may be empty.
        if document and not ("<main" in html and "<h1" in html):
            wrong.append("is not a page of the site (no <main> and <h1>)")
        if method == "get" and fields:
            shown = {}
            for form in page_forms(body):
                if form.method == "get":
                    shown.update(form.values)
            kinds = _input_kinds(html)
            for field in sorted(fields & set(data)):
                echoed = data[field] and shown.get(field) == data[field]
                if echoed and kinds.get(field) in SHAPED_INPUTS and not FIELD_ERROR.search(html):
                    wrong.append(f"shows {field}={data[field][:9]!r} back without an error")
    elif status == 200:
        if response.get("Content-Disposition", "").startswith("attachment") or response.streaming:
            if not FILE_TYPES.match(kind):
                wrong.append(f"sends a file as {kind!r}")
    elif status == 400:
        if not text.strip():
            wrong.append("is an empty 400")
        elif "html" in kind and not FIELD_ERROR.search(html) and "<h1" not in html:
            wrong.append("is a 400 page with no error message")
    elif status == 403:
        if "You cannot do that" not in text:
            wrong.append("is not the site's 403 page")
    elif status == 404:
        if "Page not found" not in text or "<main" not in text:
            wrong.append("is not the site's 404 page")
    elif status == 405:
        if not response.get("Allow"):
            wrong.append("is a 405 that names no allowed method")
    elif 400 <= status < 500 and not text.strip():
        wrong.append(f"is an empty {status}")
    return wrong


class Sweep:
    def __init__(self, client: Client, role: str = ""):
        self.client = client
        self.role = role
        self.failures: list[str] = []
        self.requests = 0
        self.statuses: set[int] = set()  # which answers' meanings were checked
        self.refused_posts = 0  # POSTs answered 4xx, with the table counts compared

    def request(self, method: str, path: str, data: dict, label: str, fields=frozenset()):
        """``fields``: the names the page's own GET forms read (their answers are checked)."""
        self.requests += 1
        where = f"{method.upper()} {path} as {self.role or '?'} {label}"
        before = _counts() if method == "post" else None
        try:
            response = getattr(self.client, method)(path, data)
            if response.streaming:  # a streamed export reads its rows as it is sent
                body = b"".join(response.streaming_content)
            else:
                body = response.content
        except Exception:  # the test client re-raises what would have been a 500
            self.failures.append(f"{where}: {traceback.format_exc()}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{where}: {response.status_code}")
            return response
        self.statuses.add(response.status_code)
        wrong = _meaning(method, response, body, data, set(fields))
        if before is not None and 400 <= response.status_code < 500:
            self.refused_posts += 1
            after = _counts()
            wrong += [
                f"a refused POST changed {model} ({before[model]} -> {after[model]})"
                for model in before
                if before[model] != after[model]
            ]
        self.failures += [f"{where}: {response.status_code} {problem}" for problem in wrong]
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
    sweep = Sweep(client, role)
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
                sweep.request(
                    "get", path, dict.fromkeys(names, value), f"({name}) {value[:9]!r}", own_fields
                )
            # One name at a time too: a form rejecting one value must not hide another.
            for field in sorted(own_fields):
                for value in (HUGE, NUL):
                    sweep.request(
                        "get", path, {field: value}, f"({name}) {field}={value!r}", own_fields
                    )
            # Every date parameter at each end of the calendar, together and one by one.
            dates = sorted(_date_names(page, method="get") | set(DATE_NAMES))
            for value in DATE_VALUES:
                sweep.request("get", path, dict.fromkeys(dates, value), f"({name}) {value}")
                for field in dates:
                    sweep.request("get", path, {field: value}, f"({name}) {field}={value}")
        else:
            sweep.request(
                "get", path, _spread(names, HOSTILE_VALUES), f"({name}) spread", own_fields
            )
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

    # then: none answered 5xx, and every answer meant what its status says
    assert sweep.requests > 300
    assert {200, 302} <= sweep.statuses
    assert sweep.refused_posts > 0 or role == "anonymous"
    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.requests} requests failed:\n" + (
        "\n".join(sweep.failures)
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
