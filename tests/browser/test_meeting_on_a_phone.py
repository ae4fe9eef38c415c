"""Issue 16 item 8 on a real phone profile (390×844, touch, a phone's user agent): the SEiR
signs in and starts on scouting, taps "Log a meeting" from another page, picks an
organisation by typing, sees the save status while typing, confirms a follow-up due
before the meeting, names an idea's proposer from the attendees and saves.

axe runs on every distinct page state; the Content Security Policy must block nothing.
"""

import datetime
import importlib
import json
import re
import uuid

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from scouting.factories import OrganisationFactory, PersonFactory
from scouting.models import FollowUp, Idea, Meeting, MeetingDraft, Person, Sector, TalentNote
from submissions.models import SubmissionToken
from tests.a11y import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_scouting_reference = importlib.import_module("scouting.migrations.0002_default_tags")

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def phone(browser, browser_context_args):
    """A page in a phone-shaped browser, failing on anything the CSP blocks."""
    context = browser.new_context(
        **{
            **browser_context_args,
            "viewport": {"width": 390, "height": 844},
            "is_mobile": True,
            "has_touch": True,
            "user_agent": PHONE_UA,
        }
    )
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert blocked == [], "blocked by the Content Security Policy:\n" + "\n".join(blocked)


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    _scouting_reference.add_tags(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    # Forty organisations, as in the demo: the list the picker replaces.
    for i in range(40):
        OrganisationFactory(programme=programme, name=f"Community group {i:02d}")
    saheli = OrganisationFactory(
        programme=programme, name="Saheli Women's Group", sector=Sector.COMMUNITY_GROUP
    )
    surgery = OrganisationFactory(
        programme=programme, name="Balsall Heath Surgery", sector=Sector.GP_PRACTICE
    )
    nadia = PersonFactory(programme=programme, name="Nadia Hussain", organisation=saheli)
    return programme, seir, saheli, surgery, nadia


def test_seir_logs_a_meeting_on_a_phone_in_one_tap(phone: Page, live_server, login, world):
    programme, seir, saheli, surgery, nadia = world
    page = phone

    # Signing in on a phone lands on the scouting start page, not the board.
    login(page, live_server, "seir")
    expect(page).to_have_url(f"{live_server.url}/scouting/")
    expect(page.get_by_role("heading", name="Scouting", level=1)).to_be_visible()
    assert_accessible(page)

    # From another page, "Log a meeting" is one tap: in the bar, not behind the menu.
    page.goto(f"{live_server.url}/programmes/")
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Log a meeting")
    expect(nav_link).to_be_visible()
    assert_accessible(page)
    nav_link.tap()
    expect(page.get_by_role("heading", name="Log a meeting", level=1)).to_be_visible()
    assert_accessible(page)

    # The organisation is picked by typing (with the keyboard), not from a 40-item list.
    expect(page.locator("#id_organisations")).to_have_count(0)
    search = page.get_by_label("Find an organisation")
    search.fill("heath sur")
    pick = page.get_by_role("button", name=re.compile("^Add Balsall Heath Surgery"))
    expect(pick).to_be_visible()
    assert_accessible(page)
    pick.focus()
    page.keyboard.press("Enter")
    chips = page.locator("#organisation-chips")
    expect(chips).to_contain_text("Balsall Heath Surgery")
    expect(search).to_be_focused()
    expect(page.locator("#organisation-results")).to_be_empty()

    # An attendee found by typing, and a new one added in the form.
    page.get_by_label("Find a person").fill("nadi")
    page.get_by_role("button", name=re.compile("^Add Nadia Hussain")).tap()
    page.get_by_text("Add a new person").tap()
    page.locator("#new-name").fill("Amira Khan")
    page.get_by_role("button", name="Add this person").tap()
    expect(page.locator("#attendee-chips")).to_contain_text("Amira Khan")

    # While typing the notes, halfway down the form, the save status is in sight.
    notes = page.get_by_label("Notes")
    notes.scroll_into_view_if_needed()
    notes.fill("Twenty women came; strong interest in walking netball. " * 4)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Draft saved")
    expect(status).to_be_in_viewport()
    # ...and the sticky bar does not cover the field being typed in.
    bar = page.locator("#save-bar").bounding_box()
    field = notes.bounding_box()
    assert field["y"] < bar["y"], (field, bar)
    assert_accessible(page)

    # An idea, proposed by the attendee just added.
    page.get_by_label("Idea title").fill("Walking netball")
    proposer = page.get_by_label("Proposed by (one of the attendees)")
    proposer.select_option(label="Amira Khan")

    # A follow-up dated before the meeting: the form asks before it saves.
    early = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    page.get_by_label("What needs doing").fill("Send Amira the SEIF application")
    page.get_by_label("Due", exact=True).fill(early)
    confirm = page.get_by_label("Yes, before the meeting: keep this date")
    expect(confirm).to_be_visible()
    expect(status).to_be_in_viewport()
    page.get_by_role("button", name="Save meeting").tap()

    # Refused without the tick, with nothing lost.
    expect(page.locator("#form-errors")).to_contain_text("Follow-up 1: it is due on")
    assert not Meeting.objects.exists()
    expect(page.locator("#organisation-chips")).to_contain_text("Balsall Heath Surgery")
    expect(page.locator("#attendee-chips")).to_contain_text("Amira Khan")
    expect(page.get_by_label("Notes")).to_have_value(re.compile("^Twenty women came"))
    expect(proposer).to_have_value(str(Person.objects.get(name="Amira Khan").pk))
    expect(page.get_by_label("Due", exact=True)).to_have_value(early)
    assert_accessible(page)

    confirm.check()
    page.get_by_role("button", name="Save meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("on")
    meeting = Meeting.objects.get()
    amira = Person.objects.get(name="Amira Khan")
    assert set(meeting.organisations.all()) == {surgery, saheli}
    assert set(meeting.attendees.all()) == {nadia, amira}
    assert list(Idea.objects.get().proposers.all()) == [amira]
    assert list(FollowUp.objects.values_list("what", "due")) == [
        ("Send Amira the SEIF application", datetime.date.fromisoformat(early))
    ]
    # The meeting page flags the follow-up that is already overdue.
    expect(page.locator("li", has_text="Send Amira the SEIF application")).to_contain_text(
        "Overdue"
    )
    assert_accessible(page)


def test_draft_brings_back_organisations_proposer_and_confirmation(
    phone: Page, live_server, login, world
):
    programme, seir, saheli, surgery, nadia = world
    page = phone
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/scouting/meetings/new/")
    page.get_by_label("Find an organisation").fill("sahe")
    page.get_by_role("button", name=re.compile("^Add Saheli")).tap()
    page.get_by_label("Find a person").fill("nadi")
    page.get_by_role("button", name=re.compile("^Add Nadia Hussain")).tap()
    page.get_by_label("Idea title").fill("Walking netball")
    page.get_by_label("Proposed by (one of the attendees)").select_option(label="Nadia Hussain")
    early = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    page.get_by_label("What needs doing").fill("Call Nadia")
    page.get_by_label("Due", exact=True).fill(early)
    page.get_by_label("Yes, before the meeting: keep this date").check()
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")

    # Back on the form later (online or not): the draft restores all of it.
    page.reload()
    page.get_by_role("button", name="Restore it").tap()
    expect(page.locator("#organisation-chips")).to_contain_text("Saheli Women's Group")
    expect(page.get_by_label("Proposed by (one of the attendees)")).to_have_value(str(nadia.pk))
    expect(page.get_by_label("Due", exact=True)).to_have_value(early)
    expect(page.get_by_label("Yes, before the meeting: keep this date")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Save meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("on")
    meeting = Meeting.objects.get()
    assert list(meeting.organisations.all()) == [saheli]
    assert list(Idea.objects.get().proposers.all()) == [nadia]
    assert FollowUp.objects.get().due == datetime.date.fromisoformat(early)


@pytest.mark.parametrize("kept", ["on the device", "on the server"])
def test_a_draft_kept_before_the_rows_were_formsets_still_restores(
    phone: Page, live_server, login, world, kept
):
    """A draft saved by the form before its rows were formsets names them as parallel
    lists (``followup_early`` holding row numbers, the token as ``submission_key``): it is
    restored into today's rows, saved again in today's names, and logs the meeting."""
    programme, seir, saheli, surgery, nadia = world
    page = phone
    today = timezone.localdate()
    early = (today - datetime.timedelta(days=3)).isoformat()
    later = (today + datetime.timedelta(days=7)).isoformat()
    key = uuid.uuid4().hex
    old = {
        "programme": [str(programme.pk)],
        "held_at": [timezone.localtime().strftime("%Y-%m-%dT%H:%M")],
        "meeting_type": ["workshop"],
        "notes": ["Typed before the change"],
        "attendees": [str(nadia.pk)],
        "_labels": [json.dumps({str(nadia.pk): "Nadia Hussain"})],
        "idea_title": ["Walking netball"],
        "idea_description": ["For older women"],
        "idea_need": [""],
        "idea_proposer": [str(nadia.pk)],
        "talent_person": [str(nadia.pk)],
        "talent_note": ["Natural organiser"],
        "followup_what": ["Book a room", "Call Nadia"],
        "followup_who": [str(seir.pk), str(seir.pk)],
        "followup_due": [later, early],
        "followup_early": ["2"],
        "submission_key": [key],
    }
    login(page, live_server, "seir")
    if kept == "on the server":
        MeetingDraft.objects.create(user=seir, data=old, updated_at=timezone.now())
    else:
        page.goto(f"{live_server.url}/scouting/")
        page.evaluate(
            "([key, value]) => localStorage.setItem(key, value)",
            [
                f"scouting-meeting-draft:{seir.pk}",
                json.dumps({"data": old, "saved_at": timezone.now().isoformat()}),
            ],
        )
    page.goto(f"{live_server.url}/scouting/meetings/new/")
    page.get_by_role("button", name="Restore it").tap()

    expect(page.get_by_label("Notes")).to_have_value("Typed before the change")
    expect(page.get_by_label("Idea title")).to_have_value("Walking netball")
    expect(page.get_by_label("Proposed by (one of the attendees)")).to_have_value(str(nadia.pk))
    expect(page.get_by_label("Person (one of the attendees)")).to_have_value(str(nadia.pk))
    what = page.get_by_label("What needs doing")
    expect(what).to_have_count(2)
    expect(what.nth(1)).to_have_value("Call Nadia")
    expect(page.get_by_label("Due", exact=True).nth(1)).to_have_value(early)
    confirm = page.get_by_label("Yes, before the meeting: keep this date")
    expect(confirm.nth(0)).to_be_hidden()
    expect(confirm.nth(1)).to_be_checked()
    expect(page.locator("#id_followups-TOTAL_FORMS")).to_have_value("2")
    # The server copy is saved again, in today's names.
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    draft = MeetingDraft.objects.get(user=seir).data
    assert draft["followups-1-early"] == ["on"] and draft["submission_token"] == [key]
    assert not {"followup_what", "followup_early", "submission_key"} & set(draft)
    assert_accessible(page)

    page.get_by_role("button", name="Save meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("on")
    meeting = Meeting.objects.get()
    assert list(Idea.objects.get().proposers.all()) == [nadia]
    assert list(TalentNote.objects.values_list("person", "note")) == [
        (nadia.pk, "Natural organiser")
    ]
    assert sorted(FollowUp.objects.values_list("what", "due")) == [
        ("Book a room", datetime.date.fromisoformat(later)),
        ("Call Nadia", datetime.date.fromisoformat(early)),
    ]
    assert SubmissionToken.objects.get().target == meeting
    assert SubmissionToken.objects.get().token == uuid.UUID(key)


def test_rows_added_in_the_browser_are_numbered_and_capped(phone: Page, live_server, login, world):
    programme, seir, saheli, surgery, nadia = world
    page = phone
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/scouting/meetings/new/")
    add = page.get_by_role("button", name="Add another follow-up")
    for _ in range(29):
        add.tap()
    what = page.get_by_label("What needs doing")
    expect(what).to_have_count(30)
    expect(page.locator("#id_followups-TOTAL_FORMS")).to_have_value("30")
    expect(what.nth(29)).to_be_focused()
    expect(what.nth(29)).to_have_attribute("name", "followups-29-what")
    # The thirty-first is not added: the form says why.
    add.tap()
    expect(what).to_have_count(30)
    expect(page.locator("#autosave-status")).to_have_text(
        "Up to 30 follow-ups in one meeting: log the rest in another."
    )
    page.get_by_label("Type").select_option("workshop")
    what.nth(0).fill("First")
    what.nth(29).fill("Thirtieth")
    page.get_by_role("button", name="Save meeting").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("on")
    assert sorted(FollowUp.objects.values_list("what", flat=True)) == ["First", "Thirtieth"]
