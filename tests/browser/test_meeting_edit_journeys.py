"""Correcting a logged meeting and deleting one logged by mistake, on a phone: the SEiR
opens a meeting, corrects its notes and an attendee, sees the change, then deletes
another meeting after the page that asks first. axe and the target-size check run on
every page visited."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import Meeting, MeetingDraft, MeetingTally, Sector
from scouting.services import MeetingInput, draft_save, meeting_log
from tests.a11y import assert_accessible, assert_targets_large_enough

# live_server flushes the reference data a migration made: the fixture re-seeds it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_scouting_reference = importlib.import_module("scouting.migrations.0002_default_tags")

PHONE = {"width": 390, "height": 844}


def checked(page: Page) -> None:
    """As every page a browser test visits: axe, and controls of at least 24×24 px."""
    assert_accessible(page)
    assert_targets_large_enough(page)


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
    amira = PersonFactory(programme=programme, name="Amira Khan")
    held = timezone.now() - datetime.timedelta(days=2)
    kept = meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(
            held_at=held,
            meeting_type="workshop",
            location="Saheli Hub",
            notes="Twenty women cam; netbal.",
            attendees=[nadia],
        ),
    )
    twice = meeting_log(
        actor=seir,
        programme=programme,
        meeting=MeetingInput(held_at=held, meeting_type="one_to_one", location="Logged twice"),
    )
    return seir, nadia, amira, kept, twice


def test_seir_corrects_a_meeting_then_deletes_another(page: Page, live_server, login, world):
    seir, nadia, amira, kept, twice = world
    # An unfinished new meeting of the SEiR's own: editing must leave it alone.
    draft_save(actor=seir, data={"notes": ["Half-typed other meeting"]})
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")

    # The SEiR opens the meeting and asks to edit it.
    page.goto(f"{live_server.url}/scouting/meetings/{kept.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workshop on")
    checked(page)
    page.get_by_role("link", name="Edit meeting").click()
    expect(page.get_by_role("heading", name="Edit meeting")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Twenty women cam; netbal.")
    expect(page.locator("#attendee-chips")).to_contain_text("Nadia Hussain")
    expect(page.locator("#organisation-chips")).to_contain_text("Saheli Women's Group")
    checked(page)

    # Corrects the notes, and the attendee: Amira came, not Nadia.
    page.get_by_label("Notes").fill("Twenty women came; strong interest in walking netball.")
    page.get_by_role("button", name="Remove Nadia Hussain").click()
    page.get_by_label("Find a person").fill("amir")
    pick = page.get_by_role("button", name=re.compile("^Add Amira Khan"))
    expect(pick).to_be_visible()
    checked(page)
    pick.click()
    expect(page.locator("#attendee-chips")).to_contain_text("Amira Khan")
    expect(page.locator("#attendee-chips")).not_to_contain_text("Nadia Hussain")
    page.get_by_role("button", name="Save changes").click()

    # The meeting page shows the correction.
    expect(page.locator("#messages")).to_contain_text(
        "Meeting saved: you changed the notes and the attendees."
    )
    expect(page.locator(".prewrap")).to_have_text(
        "Twenty women came; strong interest in walking netball."
    )
    expect(page.get_by_role("link", name="Amira Khan")).to_be_visible()
    expect(page.get_by_role("link", name="Nadia Hussain")).to_have_count(0)
    checked(page)
    kept.refresh_from_db()
    assert kept.notes == "Twenty women came; strong interest in walking netball."
    assert list(kept.attendees.all()) == [amira]
    assert MeetingDraft.objects.get(user=seir).data == {"notes": ["Half-typed other meeting"]}

    # Then deletes the meeting logged twice, after the page that asks first.
    page.goto(f"{live_server.url}/scouting/meetings/{twice.pk}/")
    checked(page)
    page.get_by_role("link", name="Delete meeting").click()
    expect(page.get_by_role("heading", name="Delete this meeting?")).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Delete meeting").click()
    expect(page.locator("#messages")).to_contain_text("Meeting deleted: One-to-one on")
    expect(page.locator("#messages")).to_contain_text("at Logged twice.")
    checked(page)
    assert list(Meeting.objects.all()) == [kept]
    assert sum(MeetingTally.objects.filter(sector="").values_list("meetings", flat=True)) == 1


def test_seir_moves_a_meeting_past_its_follow_ups_and_keeps_the_follow_ups_dates(
    page: Page, live_server, login, world
):
    """The tick keeps the dates of the follow-ups it was asked about: moving the date on
    after ticking asks again, naming the follow-up the later date puts before too."""
    seir, nadia, amira, kept, twice = world
    from scouting.services import FollowUpRow

    held = timezone.localtime(timezone.now() - datetime.timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    due = held.date() + datetime.timedelta(days=2)
    later_due = held.date() + datetime.timedelta(days=4)
    meeting = meeting_log(
        actor=seir,
        programme=kept.programme,
        meeting=MeetingInput(
            held_at=held,
            meeting_type="one_to_one",
            location="Library",
            followups=[
                FollowUpRow(what="Send the pitch deck", assignee=seir, due=due),
                FollowUpRow(what="Call the commissioner", assignee=seir, due=later_due),
            ],
        ),
    )
    moved = held + datetime.timedelta(days=3)
    moved_on = held + datetime.timedelta(days=5)
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")

    # The SEiR corrects the date: the meeting was three days later.
    page.goto(f"{live_server.url}/scouting/meetings/{meeting.pk}/edit/")
    expect(page.get_by_role("heading", name="Edit meeting")).to_be_visible()
    page.get_by_label("Date and time").fill(moved.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save changes").click()

    # Refused: the follow-up would be due before the meeting; the box keeps its date.
    expect(page.locator("#id_held_at_error")).to_contain_text(
        f"“Send the pitch deck” is due on {due.day} {due:%b %Y}, before the meeting's new date"
    )
    box = page.get_by_label("Yes, before the meeting: keep the follow-ups' dates")
    expect(box).not_to_be_checked()
    expect(page.get_by_label("Date and time")).to_have_value(moved.strftime("%Y-%m-%dT%H:%M"))
    checked(page)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.held_at) == held

    # Ticks it, then remembers the meeting was five days later, and saves.
    box.check()
    page.get_by_label("Date and time").fill(moved_on.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save changes").click()

    # Asked again: the later date puts the call before the meeting too; the box is
    # unticked, so nothing is kept that was not named.
    expect(page.locator("#id_held_at_error")).to_contain_text(
        f"“Send the pitch deck” (due {due.day} {due:%b %Y}) and “Call the commissioner” "
        f"(due {later_due.day} {later_due:%b %Y}) are due before the meeting's new date"
    )
    expect(box).not_to_be_checked()
    checked(page)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.held_at) == held

    # Ticks it and saves: the meeting moves, the follow-ups keep their dates.
    box.check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#messages")).to_contain_text("Meeting saved")
    checked(page)
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.held_at) == moved_on
    assert sorted(meeting.followups.values_list("due", flat=True)) == [due, later_due]
