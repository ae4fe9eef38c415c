"""Logging a meeting on a 375 px-wide phone, as WCAG 2.2 AA asks of each page on the way:
no serious or critical axe violation, no sideways scrolling of the page (reflow, 1.4.10,
down to 320 px), controls at least 24×24 CSS px (2.5.8), each error tied to its field.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import Meeting, Sector
from tests.a11y import assert_accessible, assert_targets_large_enough

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_scouting_reference = importlib.import_module("scouting.migrations.0002_default_tags")

PHONE = {"width": 375, "height": 800}


def check_page(page: Page) -> None:
    """axe, reflow at 375 and at 320 CSS px, and target size, on the page as it is."""
    __tracebackhide__ = True
    assert_accessible(page)
    for width in (375, 320):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        wide = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        assert wide <= inner, f"{page.url} scrolls sideways at {width} px: {wide} > {inner}"
    page.set_viewport_size(PHONE)
    assert_targets_large_enough(page)


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    _scouting_reference.add_tags(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    saheli = OrganisationFactory(
        programme=programme, name="Saheli Women's Group", sector=Sector.COMMUNITY_GROUP
    )
    # A long unbroken name and a right-to-left one: neither may push the page sideways.
    PersonFactory(
        programme=programme,
        name="Nadia Hussain-" + "Abdelrahmanovna" * 4,
        organisation=saheli,
    )
    PersonFactory(programme=programme, name="نادية حسين", organisation=saheli)
    return programme


def test_seir_logs_a_meeting_on_a_375px_phone(page: Page, live_server, login, world):
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")

    page.goto(f"{live_server.url}/scouting/meetings/new/")
    expect(page.get_by_role("heading", name="Log a meeting", level=1)).to_be_visible()
    check_page(page)

    # Sent with the date cleared: refused, the error named beside its field and read out
    # with it, and the notes typed still there.
    page.get_by_label("Notes").fill("Twenty women came; walking netball. 💬 " * 3)
    page.get_by_label("Date and time").fill("")
    page.get_by_role("button", name="Save meeting").click()
    date = page.get_by_label("Date and time")
    expect(date).to_have_attribute("aria-invalid", "true")
    described = date.get_attribute("aria-describedby") or ""
    errors = [page.locator(f"#{i}").inner_text() for i in described.split()]
    assert any("required" in e.lower() for e in errors), (described, errors)
    expect(page.get_by_label("Notes")).to_have_value(re.compile("^Twenty women came"))
    assert not Meeting.objects.exists()
    check_page(page)

    # Fixed, with the two attendees found by typing.
    date.fill("2026-11-01T10:00")
    search = page.get_by_label("Find a person")
    search.fill("Nadia")
    page.get_by_role("button", name=re.compile("^Add Nadia Hussain")).click()
    search.fill("نادية")
    page.get_by_role("button", name=re.compile("^Add نادية")).click()
    expect(page.locator("#attendee-chips")).to_contain_text("نادية حسين")
    check_page(page)
    page.get_by_role("button", name="Save meeting").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("on")
    assert Meeting.objects.get().attendees.count() == 2
    check_page(page)

    # The lists the SEiR goes back to, with odd query strings typed or pasted in.
    for path in (
        "/scouting/meetings/?page=abc&meeting_type=junk",
        "/scouting/people/?q=نادية&page=999999",
        "/scouting/ideas/?status=junk",
        "/scouting/organisations/?sector=junk&sort=junk",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        check_page(page)
