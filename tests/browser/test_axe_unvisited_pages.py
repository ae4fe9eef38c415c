"""The HTML pages no other browser journey opens, each checked as the house rule asks of
every page a browser test visits: no serious or critical axe violation, every control at
least 24×24 CSS px (WCAG 2.2 AA 2.5.8), nothing blocked by the Content Security Policy.

Each page is opened by someone who uses it (a SEiR, the venture's lead, a PCT manager),
about a real object of the permission matrix's world (tests/permission_world.py: a venture
with a plan, a contract, a referral, a funding application; a person, an organisation and
an idea in the directory). One test per role, which opens each of its pages in turn and
names every page that fails; the world is built once for each (a transactional test, as
every browser journey here: the live server's thread must see it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.sessions import force_login_verified
from scouting.factories import OrganisationFactory
from tests.a11y import assert_accessible, assert_targets_large_enough
from tests.permission_matrix import ENTREPRENEUR, MANAGER, ROWS, SEIR
from tests.permission_world import World, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


ROLES = list(dict.fromkeys(p.role for p in PAGES))


@pytest.fixture
def world(reference_data_restored) -> World:
    """The permission matrix's world, with a second organisation for the merge page."""
    made = build_world()
    made.objects["second_organisation"] = OrganisationFactory(
        programme=made.objects["home"], name="Balsall Heath Forum CIC"
    )
    return made


def _signed_in(page, live_server, person) -> None:
    """``page`` signed in as ``person``, second factor passed (by session cookie)."""
    client = Client()
    force_login_verified(client, person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _faults(page, url: str) -> list[str]:
    """What is wrong with the page at ``url``, opened in ``page`` (nothing: [])."""
    response = page.goto(url)
    if response.status != 200 or page.url != url:
        return [f"answered {response.status} at {page.url}"]
    faults = []
    if not page.get_by_role("heading", level=1).first.is_visible():
        faults.append("no visible top-level heading")
    for check in (assert_accessible, assert_targets_large_enough):
        try:
            check(page)
        except AssertionError as error:
            faults.append(str(error))
    return faults


def test_every_page_is_listed_once_for_someone_allowed_to_open_it():
    names = [p.name for p in PAGES]
    assert len(names) == len(set(names))
    refused = [p.name for p in PAGES if p.role not in ROWS[p.name].get]
    assert refused == []


@pytest.mark.parametrize("role", ROLES)
def test_each_page_is_accessible(page, live_server, world, role):
    # given someone who uses these pages, signed in
    _signed_in(page, live_server, world.people[role])
    extra = {"second_organisation": world.value("second_organisation")}
    failed = {}

    # when they open each of them
    for unvisited in (p for p in PAGES if p.role == role):
        path = unvisited.path(world).format(**extra)
        faults = _faults(page, live_server.url + path)
        if faults:
            failed[unvisited.name] = faults

    # then each is the page itself (not a refusal or a redirect), with its heading, and
    # passes axe and the target-size check (the CSP: tests/browser/conftest.py)
    assert failed == {}, "\n\n".join(
        f"{name}:\n" + "\n".join(faults) for name, faults in failed.items()
    )
