"""The HTML pages no other browser journey opens, each checked as the house rule asks of
every page a browser test visits: no serious or critical axe violation, every control at
least 24×24 CSS px (WCAG 2.2 AA 2.5.8), nothing blocked by the Content Security Policy.

Each page is opened by someone who uses it (a SEiR, the venture's lead, a PCT manager),
about a real object of the permission matrix's world (tests/permission_world.py: a venture
with a plan, a contract, a referral, a funding application; a person, an organisation and
an idea in the directory). One test per page, so a failure names the page.

To stay quick, the world is built once for the module and each role signs in once (one
browser context per role). pytest-django's ``live_server`` would make every test
transactional and flush the world after the first, so the module runs its own live server
and, at its end, empties the database and puts back what the migrations made.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.sessions import force_login_verified
from scouting.factories import OrganisationFactory
from tests.a11y import assert_accessible, assert_targets_large_enough
from tests.permission_matrix import ENTREPRENEUR, MANAGER, ROWS, SEIR
from tests.permission_world import World, build_world
from tests.reference_data import reference_data_restore

# Each test runs in a transaction rolled back after it (the world is committed before,
# for the whole module): what a GET writes, such as a session's last use, goes with it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@dataclass(frozen=True)
class Unvisited:
    """A page (its URL name) opened by ``role``; the objects in its address are the
    permission matrix's (``ROWS[name].on``); ``query`` is added to the address."""

    name: str
    role: str
    query: str = ""

    def path(self, world: World) -> str:
        on = ROWS[self.name].on
        kwargs = {param: world.value(key) for param, key in on.items()}
        return reverse(self.name, kwargs=kwargs) + self.query


PAGES = [
    # Your own account.
    Unvisited("password_change", SEIR),
    Unvisited("password_change_done", SEIR),
    # The pipeline without JavaScript: the move form as a page, and older timeline entries.
    Unvisited("ventures:move", SEIR),
    Unvisited("ventures:timeline", SEIR),
    # The scouting directory's forms and the organisation pages.
    Unvisited("scouting:person_create", SEIR),
    Unvisited("scouting:person_edit", SEIR),
    Unvisited("scouting:person_erase", SEIR),
    Unvisited("scouting:organisation_create", SEIR),
    Unvisited("scouting:organisation_detail", SEIR),
    Unvisited("scouting:organisation_edit", SEIR),
    Unvisited("scouting:organisation_merge", SEIR, query="?other={second_organisation}"),
    Unvisited("scouting:idea_create", SEIR),
    Unvisited("scouting:idea_edit", SEIR),
    # Commissioning: adding to the directory of commissioners, and a venture's records.
    Unvisited("commissioning:commissioner_create", SEIR),
    Unvisited("commissioning:contact_create", SEIR),
    Unvisited("commissioning:priority_create", SEIR),
    Unvisited("commissioning:window_create", SEIR),
    Unvisited("commissioning:referral_create", SEIR),
    Unvisited("commissioning:contract", SEIR),
    Unvisited("commissioning:referral", SEIR),
    Unvisited("commissioning:ledger", MANAGER),
    # The venture's lead edits their funding application.
    Unvisited("funding:edit", ENTREPRENEUR),
]


@dataclass
class Site:
    url: str
    world: World


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The world, committed so the server's thread sees it, and a live server on it."""
    with django_db_blocker.unblock():
        world = build_world()
        world.objects["second_organisation"] = OrganisationFactory(
            programme=world.objects["home"], name="Balsall Heath Forum CIC"
        )
        server = LiveServer("localhost")
        try:
            yield Site(url=server.url, world=world)
        finally:
            server.stop()
            _restore_database()


def _restore_database() -> None:
    """Empty the tables and put back what the migrations made: from the copy Django keeps
    for ``serialized_rollback`` tests when there is one (a flush that remade content types
    would clash with that copy when the next such test loads it), else by the flush's
    post-migrate signal and the reference data's seeds."""
    connection = connections[DEFAULT_DB_ALIAS]
    serialized = getattr(connection, "_test_serialized_contents", None)
    call_command(
        "flush", verbosity=0, interactive=False, inhibit_post_migrate=serialized is not None
    )
    if serialized is not None:
        connection.creation.deserialize_db_from_string(serialized)
    else:
        reference_data_restore()


@pytest.fixture(scope="module")
def page_as(site, browser, browser_context_args):
    """``page_as(role)``: ``(page, blocked)``, one tab per role of ``PAGES``, signed in
    (second factor passed) before the first test, so the sessions outlive each test's
    rollback; ``blocked`` collects what the Content Security Policy blocked on it."""
    pages = {}
    for role in dict.fromkeys(p.role for p in PAGES):
        client = Client()
        force_login_verified(client, site.world.people[role])
        context = browser.new_context(**browser_context_args)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site.url}]
        )
        page, blocked = context.new_page(), []
        page.on(
            "console",
            lambda message, blocked=blocked: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        pages[role] = (page, blocked)
    yield pages.__getitem__
    for page, _blocked in pages.values():
        page.context.close()


def test_every_page_is_listed_once_for_someone_allowed_to_open_it():
    names = [p.name for p in PAGES]
    assert len(names) == len(set(names))
    refused = [p.name for p in PAGES if p.role not in ROWS[p.name].get]
    assert refused == []


@pytest.mark.parametrize("unvisited", PAGES, ids=[p.name for p in PAGES])
def test_page_is_accessible(site, page_as, unvisited):
    # given someone who uses the page, signed in
    page, blocked = page_as(unvisited.role)
    blocked.clear()
    path = unvisited.path(site.world).format(
        **{key: site.world.value(key) for key in ("second_organisation",)}
    )

    # when they open it
    response = page.goto(site.url + path)

    # then it is the page itself (not a refusal or a redirect), with its heading, and it
    # passes axe and the target-size check, with nothing blocked
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url == site.url + path
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_targets_large_enough(page)
    assert blocked == [], "blocked by the Content Security Policy:\n" + "\n".join(blocked)
