"""Every create page's form saves once (docs/architecture.md; ``submissions.views.save_once``).

A create page is a route whose address ends in ``new/`` or whose name ends in ``create``
or ``_add``, that someone may both open and post to (tests/permission_matrix.py). Each
is opened as the first identity allowed to, in the world of tests/permission_world.py,
and every form on it that posts back to it must carry a filled-in one-time
``submission_token`` (``seir.forms.SubmissionTokenMixin`` or
``{% submission_token_input %}``), and its view must call ``save_once`` (or
``submission_save_once``), itself or through a helper it calls (read from the code's
names). A create page added without them fails here: a double click on it would save
twice. (That the POST then saves once is each page's own test.) Create forms drawn on
another page (funding's, outcomes', a venture's note) post to POST-only routes and are
tested in their own apps.
"""

from __future__ import annotations

import inspect
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve

from accounts.sessions import force_login_verified
from submissions.services import submission_save_once
from submissions.views import save_once
from tests.html_forms import page_forms
from tests.permission_matrix import (
    GLOBAL_ADMIN,
    IDENTITIES,
    PROGRAMME_ADMIN,
    SEIR,
    row_for,
)
from tests.permission_walk import address, routes

pytestmark = pytest.mark.django_db

# Routes matching the rule that are not create forms: name -> why.
NOT_CREATE_FORMS: dict[str, str] = {}

# Who opens each page: the first of these the page's row allows, else any it allows.
PREFERRED = (SEIR, PROGRAMME_ADMIN, GLOBAL_ADMIN)


def _is_create_page(route) -> bool:
    if route.is_admin or route.name in NOT_CREATE_FORMS:
        return False
    row = row_for(route.name)
    path = "".join(str(p) for p in route.patterns)
    named = route.name.endswith(("create", "_add")) or path.endswith("new/")
    return named and row is not None and bool(row.get & row.post)


CREATE_PAGES = [route for route in routes() if _is_create_page(route)]


def _calls_save_once(func, depth: int = 3) -> bool:
    """Whether ``func`` (or a function it names, to ``depth`` helpers deep) calls
    ``save_once`` or ``submission_save_once``: the names its code and nested code use,
    looked up in its module."""
    func = inspect.unwrap(func)
    names, codes = set(), [func.__code__]
    while codes:
        code = codes.pop()
        names |= set(code.co_names)
        codes += [c for c in code.co_consts if inspect.iscode(c)]
    found = [func.__globals__.get(name) for name in names]
    if any(f is save_once or f is submission_save_once for f in found):
        return True
    return depth > 0 and any(_calls_save_once(f, depth - 1) for f in found if inspect.isfunction(f))


def _opener(row) -> str:
    allowed = row.get & row.post
    return next((i for i in PREFERRED if i in allowed), next(i for i in IDENTITIES if i in allowed))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world of the permission matrix, rolled back after the module."""
    from tests.permission_world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def test_the_rule_finds_the_create_pages():
    names = {route.name for route in CREATE_PAGES}

    assert {
        "ventures:create",
        "scouting:meeting_log",
        "scouting:idea_create",
        "scouting:person_create",
        "scouting:organisation_create",
        "commissioning:commissioner_create",
        "commissioning:contact_create",
        "commissioning:priority_create",
        "commissioning:window_create",
        "commissioning:introduction_create",
        "commissioning:contract_create",
        "commissioning:referral_create",
    } <= names
    # POST-only routes have no page of their own to open.
    assert "funding:add" not in names and "reminders:calendar_create" not in names


@pytest.mark.parametrize("route", CREATE_PAGES, ids=[route.name for route in CREATE_PAGES])
def test_each_create_page_posts_a_one_time_token(world, route):
    # given: the page, opened by someone who may also post to it
    row = row_for(route.name)
    path = address(route, dict(row.on), world)
    client = Client()
    force_login_verified(client, world.people[_opener(row)])
    page = client.get(path)
    assert page.status_code == 200, f"{route.name} at {path} answered {page.status_code}"

    # then: each form posting back to the page carries a filled-in one-time token
    own = [
        form
        for form in page_forms(page.content)
        if form.method == "post" and urlsplit(form.action).path in ("", path)
    ]
    assert own, f"{route.name}: no form on {path} posts back to it"
    assert [form.values.get("submission_token", "") != "" for form in own] == [True] * len(own), (
        f"{route.name}: a form on {path} has no submission_token, so a double click saves "
        "twice. Give its form seir.forms.SubmissionTokenMixin and answer the POST through "
        "submissions.views.save_once."
    )
    view = resolve(path).func
    assert _calls_save_once(view), (
        f"{route.name}: {view.__module__}.{view.__name__} does not answer the POST "
        "through submissions.views.save_once."
    )
