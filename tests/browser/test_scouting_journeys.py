"""Browser journeys through scouting at a phone-sized viewport: logging a meeting in one
screen, promoting its idea to a venture, and getting a draft back after a lost session.

axe runs on every distinct page state.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import FollowUp, Idea, Meeting, MeetingDraft, Person, Sector
from tests.a11y import assert_accessible
from ventures.models import Venture

# See tests/browser/test_venture_journeys.py: live_server flushes the reference data a
# migration made, so the fixture re-seeds it (idempotent).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_scouting_reference = importlib.import_module("scouting.migrations.0002_default_tags")

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    _scouting_reference.add_tags(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    saheli = OrganisationFactory(
        programme=programme, name="Saheli Women's Group", sector=Sector.COMMUNITY_GROUP
    )
    nadia = PersonFactory(programme=programme, name="Nadia Hussain", organisation=saheli)
    return programme, seir, saheli, nadia


def settle_button(page: Page, selector: str) -> None:
    """Move the pointer off a just-clicked button and let its hover colours fade out, so
    axe judges the contrast of the resting button, not a frame of Bootstrap's transition."""
    page.mouse.move(0, 0)
    page.wait_for_function(
        "s => getComputedStyle(document.querySelector(s)).backgroundColor === 'rgba(0, 0, 0, 0)'",
        arg=selector,
    )


def open_scouting_from_menu(page: Page):
    """On a phone the main navigation is behind the menu button."""
    page.get_by_role("button", name="Show navigation").click()
    page.get_by_role("link", name="Scouting", exact=True).click()


def test_seir_logs_a_meeting_on_a_phone_and_promotes_its_idea(
    page: Page, live_server, login, world
):
    programme, seir, saheli, nadia = world
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")

    # The SEiR opens scouting from the phone menu and starts logging a meeting.
    open_scouting_from_menu(page)
    expect(page.get_by_role("heading", name="Scouting", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Log a meeting").first.click()
    expect(page.get_by_role("heading", name="Log a meeting")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Type").select_option("workshop")
    page.get_by_label("Location").fill("Saheli Hub, Balsall Heath")

    # An existing attendee, found as the SEiR types.
    page.get_by_label("Find a person").fill("nadi")
    pick = page.get_by_role("button", name=re.compile("^Add Nadia Hussain"))
    expect(pick).to_be_visible()
    assert_accessible(page)
    pick.click()
    expect(page.locator("#attendee-chips")).to_contain_text("Nadia Hussain")

    # A new attendee, added without leaving the form.
    page.get_by_text("Add a new person").click()
    page.locator("#new-name").fill("Amira Khan")
    page.locator("#new-organisation").select_option(label="Saheli Women's Group")
    page.locator("#new-job_title").fill("Practice nurse")
    page.get_by_role("button", name="Add this person").click()
    expect(page.locator("#attendee-chips")).to_contain_text("Amira Khan")
    settle_button(page, "#new-person-add")
    assert_accessible(page)

    page.get_by_label("Notes").fill("Twenty women came; strong interest in walking netball.")
    page.get_by_label("Idea title").fill("Walking netball")
    page.get_by_label("What is it?").fill("Weekly walking netball for older women.")
    page.get_by_label("Health need it addresses").fill("Inactivity and isolation")
    page.get_by_label("Person (one of the attendees)").select_option(label="Amira Khan")
    page.get_by_label("Why they stood out").fill("Natural organiser")
    page.get_by_label("What needs doing").fill("Send Amira the SEIF application")
    page.get_by_label("Due").fill("2026-12-15")
    # The draft is saved as the SEiR types.
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    assert MeetingDraft.objects.filter(user=seir).exists()
    assert_accessible(page)

    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workshop on")
    assert_accessible(page)
    meeting = Meeting.objects.get()
    amira = Person.objects.get(name="Amira Khan")
    assert set(meeting.attendees.all()) == {nadia, amira}
    assert list(meeting.organisations.all()) == [saheli]
    assert [(t.person, t.note) for t in meeting.talent.all()] == [(amira, "Natural organiser")]
    assert list(FollowUp.objects.values_list("what", "assignee")) == [
        ("Send Amira the SEIF application", seir.pk)
    ]
    assert not MeetingDraft.objects.exists()
    # The device copy is cleared too, so nothing is offered on the next visit.
    assert page.evaluate(f"localStorage.getItem('scouting-meeting-draft:{seir.pk}')") is None

    # The follow-up is on the SEiR's list.
    page.get_by_role("link", name="My follow-ups").click()
    expect(page.locator("#open-followups")).to_contain_text("Send Amira the SEIF application")
    assert_accessible(page)

    # Promote the idea: the venture form comes pre-filled.
    page.go_back()
    page.get_by_role("link", name="Walking netball").click()
    expect(page.get_by_role("heading", name="Walking netball", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Promote to a venture").click()
    expect(page.get_by_role("textbox", name=re.compile(r"^Name\*?$"))).to_have_value(
        "Walking netball"
    )
    expect(page.get_by_role("textbox", name="Summary")).to_have_value(
        "Weekly walking netball for older women."
    )
    assert_accessible(page)
    page.get_by_role("textbox", name=re.compile(r"^Name\*?$")).fill("Walking Netball Balsall Heath")
    page.get_by_role("button", name="Add venture").click()

    # The venture page: linked, and the meeting is in its timeline.
    expect(page.get_by_role("heading", name="Walking Netball Balsall Heath")).to_be_visible()
    venture = Venture.objects.get()
    assert Idea.objects.get().venture == venture
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Scouting meeting")
    expect(timeline).to_contain_text("Saheli Hub, Balsall Heath")
    expect(timeline).to_contain_text("Promoted from the scouting idea")
    assert_accessible(page)


def test_draft_comes_back_after_the_session_is_lost(page: Page, live_server, login, world):
    programme, seir, saheli, nadia = world
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/scouting/meetings/new/")
    page.get_by_label("Location").fill("Erdington library")
    page.get_by_label("Notes").fill("First half of my notes.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")

    # The session expires while the SEiR keeps typing: the device keeps the draft.
    page.context.clear_cookies()
    page.get_by_label("Notes").fill("First half of my notes. And the second half.")
    expect(page.locator("#autosave-status")).to_contain_text("You have been signed out")
    assert_accessible(page)
    assert MeetingDraft.objects.get(user=seir).data["notes"] == ["First half of my notes."]

    # They sign in again in another tab and carry on typing in the first one: the
    # form picks up the new sign-in (and its new CSRF token) and saves again.
    other = page.context.new_page()
    login(other, live_server, "seir")
    other.close()
    page.get_by_label("Notes").fill("First half of my notes. And the second half. Done.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    assert MeetingDraft.objects.get(user=seir).data["notes"] == [
        "First half of my notes. And the second half. Done."
    ]

    # The session is lost again before saving; on return after signing in, the newest
    # draft (the one on this device) is offered back.
    page.get_by_label("Location").fill("Erdington library, room 2")
    page.context.clear_cookies()
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/scouting/meetings/new/")
    offer = page.locator("#draft-offer")
    expect(offer).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Restore it").click()
    expect(page.get_by_label("Notes")).to_have_value(
        "First half of my notes. And the second half. Done."
    )
    expect(page.get_by_label("Location")).to_have_value("Erdington library, room 2")
    # ...and the server copy catches up.
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    assert MeetingDraft.objects.get(user=seir).data["location"] == ["Erdington library, room 2"]
    assert_accessible(page)
