"""Every named route, as every identity, GET and POST, against the declared matrix
(tests/permission_matrix.py; issue 21, item 2).

The world (tests/permission_world.py) is built once for the module inside a transaction
that is rolled back at its end; each request runs in a savepoint rolled back after it,
so a POST that changes something (an erasure, a removal, a sign-out) changes nothing for
the next request. One test per route, so a failure names the route and lists every
identity and method that differed, with the row the route would need.

The hostile-input sweep (tests/test_hostile_input.py) asks whether any route answers 5xx
to bad input; this one asks only who gets in, with empty POSTs.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from accounts.services import user_deactivate
from accounts.sessions import force_login_verified
from tests.permission_matrix import (
    ANONYMOUS,
    DEACTIVATED,
    IDENTITIES,
    PATTERN_ROWS,
    ROWS,
    row_for,
    row_source,
)
from tests.permission_walk import (
    ALLOWED,
    ERROR,
    REFUSED,
    address,
    describe,
    missing_params,
    outcome,
    routes,
)
from tests.permission_world import build_world

# The module's world is rolled back at its end; each test runs inside it (and asking for
# the database here is what makes pytest-django create it).
pytestmark = pytest.mark.django_db

METHODS = ("get", "post")
ROUTES = routes()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world and one signed-in client per identity; everything is rolled back after
    the module. The deactivated account signs in, then is deactivated. PDFs are not
    drawn (a second each; their apps test them): who gets one is what counts here."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        mock.patch("plans.views.versions.render_pdf", return_value=b"%PDF-1.4"),
        mock.patch("progress.pdf.report_pdf_bytes", return_value=b"%PDF-1.4"),
    ):
        built = build_world()
        built.clients = {}
        for identity in IDENTITIES:
            client = Client()
            if built.people[identity] is not None:
                # Signed in with the second factor passed: who may open a page is
                # what this checks (the two-factor step has its own tests).
                force_login_verified(client, built.people[identity])
            built.clients[identity] = client
        user_deactivate(user=built.people[DEACTIVATED])
        yield built
        transaction.set_rollback(True)


def _request(client: Client, method: str, path: str):
    """One request, undone afterwards (rows, the client's cookies, the cache)."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            try:
                return getattr(client, method)(path, {})
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        cache.clear()


def observe(route, on, world) -> dict[tuple[str, str], tuple[str, str]]:
    """(identity, method) -> (allowed/refused/error, what came back)."""
    path = address(route, on, world)
    seen = {}
    for identity in IDENTITIES:
        for method in METHODS:
            try:
                response = _request(world.clients[identity], method, path)
            except Exception as error:  # the test client re-raises what would be a 500
                seen[identity, method] = (ERROR, f"{type(error).__name__}: {error}")
                continue
            seen[identity, method] = (outcome(response), describe(response))
    return seen


def _observed_row(route, on, seen) -> str:
    allowed = {
        method: {i for i in IDENTITIES if seen[i, method][0] == ALLOWED} for method in METHODS
    }
    return row_source(route.name, allowed["get"], allowed["post"], on)


def _expected(row, identity: str, method: str) -> str:
    return ALLOWED if identity in getattr(row, method) else REFUSED


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_route_answers_as_its_row_declares(world, route):
    # given the route's row and an address about the world's objects
    row = row_for(route.name)
    on = dict(row.on) if row else {}
    missing = missing_params(route, on)
    assert not missing, (
        f"{route.name} {'has no row' if row is None else 'names no world object for ' + str(missing)}"
        f" in tests/permission_matrix.py. Add to ROWS:\n"
        f'    "{route.name}": Row(get=..., post=..., on={{'
        + ", ".join(f'"{param}": "..."' for param in missing)
        + "}),\nwhere each ... of on= is one of the objects of tests/permission_world.py: "
        + ", ".join(sorted(world.objects))
    )

    # when every identity GETs it and POSTs to it
    seen = observe(route, on, world)

    # then each was allowed or refused as declared
    assert row is not None, (
        f"{route.name} has no row in tests/permission_matrix.py. It answered as if its row "
        "were this one; check it says what you intend, then add it to ROWS:\n"
        + _observed_row(route, on, seen)
    )
    differences = [
        f"  {method.upper():4} {identity:<18} declared {_expected(row, identity, method)}, "
        f"answered {seen[identity, method][1]} ({seen[identity, method][0]})"
        for identity in IDENTITIES
        for method in METHODS
        if seen[identity, method][0] != _expected(row, identity, method)
    ]
    assert not differences, (
        f"{route.name} at {address(route, on, world)} does not answer as declared:\n"
        + "\n".join(differences)
        + "\nThe row it answered as:\n"
        + _observed_row(route, on, seen)
    )


def test_the_walk_reaches_every_kind_of_route():
    names = {route.name for route in ROUTES}

    assert {"home", "ventures:detail", "invitations:accept", "admin:index"} <= names
    assert len([n for n in names if not n.startswith("admin:")]) > 140
    assert len([n for n in names if n.startswith("admin:")]) > 200


def test_every_row_names_a_route():
    names = {route.name for route in ROUTES}

    assert set(ROWS) - names == set()
    assert all(any(row_for(name) is row for name in names) for row in PATTERN_ROWS.values())


def test_a_deactivated_account_gets_what_an_anonymous_visitor_gets():
    rows = {**ROWS, **PATTERN_ROWS}

    assert [
        name
        for name, row in rows.items()
        if (DEACTIVATED in row.get, DEACTIVATED in row.post)
        != (ANONYMOUS in row.get, ANONYMOUS in row.post)
    ] == []
