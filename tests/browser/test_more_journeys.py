"""More browser journeys: a SEiR working a venture page, reverting an edit, filtering and
exporting the list; two people editing at once; a PCT manager reading; password reset and
lockout.

Same conventions as test_venture_journeys.py: Debian's chromium against ``live_server``,
axe on every distinct page state (after each navigation, and with any dialog or
``<details>`` open), and ``people`` re-seeding the reference data a flush removes.
"""

import csv
import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Locator, Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.models import User
from accounts.roles import Role
from events.models import Event
from tests.a11y import assert_accessible
from ventures import services
from ventures.events import STATUS_CHANGED
from ventures.factories import VentureFactory
from ventures.models import (
    FieldChange,
    GateConfirmation,
    NoteVisibility,
    Venture,
    VentureNote,
    VentureStatus,
)

# See the note on pytestmark in test_venture_journeys.py: live_server needs transactional
# tests, and ``people`` re-seeds the reference data the flush removes.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")

NEED_EVIDENCED = "Need evidenced (local data or a needs assessment)"


# --- helpers -------------------------------------------------------------------------


def label(text: str) -> re.Pattern:
    """An accessible name as crispy-forms renders it (``*`` after a required field's label)."""
    return re.compile(rf"^{re.escape(text)}\*?$")


def board_card(page: Page, venture: Venture) -> Locator:
    return page.locator(f"li.board-card[data-venture-id='{venture.pk}']")


def messages(page: Page) -> Locator:
    return page.locator("#messages")


def status_badge(page: Page) -> Locator:
    """The status badge beside the stage badge under the venture page's heading."""
    return page.locator("main h1 + p .badge.text-bg-warning")


def profile_value(page: Page, term: str) -> Locator:
    """The <dd> after the Profile section's <dt>``term``</dt>."""
    section = page.locator("section[aria-labelledby='profile-title']")
    return section.locator(f"dt:text-is('{term}') + dd")


def result_names(page: Page) -> Locator:
    """The venture names in the list's table, in order."""
    return page.locator("table tbody tr td:first-child > a")


def plain_venture(programme, name: str, **fields) -> Venture:
    """A venture whose free-text fields are fixed (so a search matches only what we mean)."""
    defaults = {
        "summary": "A local service.",
        "need": "Unmet local need.",
        "area": "Birmingham",
        "beneficiaries": "Local residents",
    }
    return VentureFactory(programme=programme, name=name, **{**defaults, **fields})


@pytest.fixture
def people():
    """A programme with its SEiR ("seir"), an entrepreneur ("esther") and a PCT manager
    ("mina")."""
    _reference_data.seed(django_apps, None)  # see the note on pytestmark
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    esther = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    manager = member(
        programme, Role.MANAGER, username="mina", first_name="Mina", last_name="Manager"
    )
    return SimpleNamespace(programme=programme, seir=seir, esther=esther, manager=manager)


# --- 1. SEiR works a venture page ------------------------------------------------------


def test_seir_confirms_a_gate_condition_adds_notes_and_pauses_then_reactivates(
    page: Page, live_server, login, people
):
    # given a venture in Idea with a lead, so one condition of its gate is met already
    venture = plain_venture(
        people.programme,
        "Handsworth Food Co-op",
        stage_code="idea",
        lead=people.esther,
        seir=people.seir,
    )
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")
    expect(page.get_by_role("heading", level=1, name=venture.name)).to_be_visible()
    gate = page.locator("section#gate")
    expect(gate).to_contain_text("1 of 3 conditions met.")
    assert_accessible(page)

    # when the SEiR confirms "Need evidenced" with evidence
    evidence = "Ward needs assessment 2009, p. 14"
    gate.get_by_role("textbox", name=f"Evidence for “{NEED_EVIDENCED}”").fill(evidence)
    gate.get_by_role("button", name=f"Confirm {NEED_EVIDENCED}").click()

    # then the condition shows as met, with its evidence, and the page says so
    expect(messages(page)).to_contain_text(f"Confirmed: {NEED_EVIDENCED}.")
    item = gate.locator("li.gate-item").filter(has_text=NEED_EVIDENCED)
    expect(item).to_have_class(re.compile(r"\bis-met\b"))
    expect(item.locator(".gate-icon")).to_have_text("✓")
    expect(item).to_contain_text(f"Met: {NEED_EVIDENCED}")
    expect(item).to_contain_text(f"Evidence: {evidence}")
    expect(gate).to_contain_text("2 of 3 conditions met.")
    expect(gate.get_by_role("textbox", name=f"Evidence for “{NEED_EVIDENCED}”")).to_have_count(0)
    expect(
        item.get_by_role("button", name=f"Withdraw confirmation of {NEED_EVIDENCED}")
    ).to_be_visible()
    assert_accessible(page)
    confirmation = GateConfirmation.objects.get(venture=venture)
    assert (confirmation.condition.label, confirmation.evidence) == (NEED_EVIDENCED, evidence)

    # when they add a SEiR-only note
    activity = page.locator("section#timeline")
    staff_note = "Lead is also talking to a competing programme; keep an eye on it."
    activity.get_by_role("textbox", name=label("Note")).fill(staff_note)
    activity.get_by_role("combobox", name=label("Visibility")).select_option(label="SEiR only")
    activity.get_by_role("button", name="Add note").click()

    # then it is in the timeline with the "SEiR only" badge
    expect(messages(page)).to_contain_text("Note added.")
    expect(page).to_have_url(re.compile(rf"/ventures/{venture.pk}/#timeline$"))
    entry = page.locator("li.timeline-entry[data-kind='venture.note_added']").filter(
        has_text=staff_note
    )
    expect(entry).to_have_count(1)
    expect(entry.locator(".badge")).to_have_text("SEiR only")
    assert_accessible(page)

    # when they add a note for the team
    team_note = "Please send the minutes of the residents' meeting."
    activity.get_by_role("textbox", name=label("Note")).fill(team_note)
    activity.get_by_role("combobox", name=label("Visibility")).select_option(
        label="Shared with the venture team"
    )
    activity.get_by_role("button", name="Add note").click()

    # then it is there too, without the badge
    expect(messages(page)).to_contain_text("Note added.")
    entry = page.locator("li.timeline-entry[data-kind='venture.note_added']").filter(
        has_text=team_note
    )
    expect(entry).to_have_count(1)
    expect(entry.locator(".badge")).to_have_count(0)
    assert dict(VentureNote.objects.filter(venture=venture).values_list("body", "visibility")) == {
        staff_note: NoteVisibility.STAFF,
        team_note: NoteVisibility.TEAM,
    }

    # when they pause the venture with a reason
    status = page.locator("section[aria-labelledby='status-title']")
    expect(status).to_contain_text("This venture is active.")
    pause_reason = "Lead on maternity leave until September."
    # a click with no status chosen changes nothing and says why
    expect(status.get_by_role("combobox", name=label("New status"))).to_have_value("")
    status.get_by_role("button", name="Change status").click()
    expect(status).to_contain_text("Choose the new status.")
    expect(status).to_contain_text("This venture is active.")
    assert not Event.objects.filter(venture_id=venture.pk, kind=STATUS_CHANGED).exists()
    status = page.locator("section[aria-labelledby='status-title']")
    status.get_by_role("combobox", name=label("New status")).select_option(label="Paused")
    status.get_by_role("textbox", name=label("Reason")).fill(pause_reason)
    status.get_by_role("button", name="Change status").click()

    # then it is paused: badge, reason and status section agree, and "Move stage" is gone
    expect(messages(page)).to_contain_text(f"{venture.name} is now paused.")
    expect(status_badge(page)).to_have_text("Paused")
    expect(page.locator("main")).to_contain_text(f"Reason: {pause_reason}")
    expect(status).to_contain_text("This venture is paused.")
    expect(page.get_by_role("link", name="Move stage")).to_have_count(0)
    assert_accessible(page)
    venture.refresh_from_db()
    assert (venture.status, venture.status_reason) == (VentureStatus.PAUSED, pause_reason)

    # when they try to close it without a reason
    status.get_by_role("combobox", name=label("New status")).select_option(label="Closed")
    expect(status.get_by_role("textbox", name=label("Reason"))).to_have_value("")
    status.get_by_role("button", name="Change status").click()

    # then they are told to give one, beside the Reason field, with "Closed" still chosen
    expect(messages(page).locator(".alert-danger")).to_contain_text(
        "The status was not changed: see the Status section."
    )
    expect(status).to_contain_text("Give a reason (it is kept in the venture's history).")
    expect(status.get_by_role("combobox", name=label("New status"))).to_have_value("closed")
    expect(status_badge(page)).to_have_text("Paused")
    expect(status).to_contain_text("This venture is paused.")
    assert_accessible(page)
    venture.refresh_from_db()
    assert (venture.status, venture.status_reason) == (VentureStatus.PAUSED, pause_reason)
    assert [
        e.data["to"] for e in Event.objects.filter(venture_id=venture.pk, kind=STATUS_CHANGED)
    ] == [VentureStatus.PAUSED]

    # when they reactivate it
    status.get_by_role("combobox", name=label("New status")).select_option(label="Active")
    status.get_by_role("button", name="Change status").click()

    # then it is active again, with no status badge or reason, and can be moved again
    expect(messages(page)).to_contain_text(f"{venture.name} is now active.")
    expect(status).to_contain_text("This venture is active.")
    expect(status_badge(page)).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(f"Reason: {pause_reason}")
    expect(page.get_by_role("link", name="Move stage")).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Status: Active → Paused")
    expect(timeline).to_contain_text("Status: Paused → Active")
    assert_accessible(page)
    venture.refresh_from_db()
    assert (venture.status, venture.status_reason) == (VentureStatus.ACTIVE, "")
    assert [
        (e.data["from"], e.data["to"], e.actor_id)
        for e in Event.objects.filter(venture_id=venture.pk, kind=STATUS_CHANGED).order_by(
            "at", "id"
        )
    ] == [("active", "paused", people.seir.pk), ("paused", "active", people.seir.pk)]


# --- 2. SEiR reverts an entrepreneur's edit -------------------------------------------------


def test_seir_reverts_an_entrepreneurs_edit_to_the_summary(page: Page, live_server, login, people):
    # given the entrepreneur changed their venture's summary
    old_summary = "A food co-op for Handsworth."
    new_summary = "A members' food co-op with a weekly market."
    venture = plain_venture(
        people.programme,
        "Handsworth Food Co-op",
        lead=people.esther,
        seir=people.seir,
        summary=old_summary,
    )
    [edit] = services.venture_update_profile(
        actor=people.esther,
        venture=venture,
        data={"summary": new_summary},
        expected_version=venture.version,
    )

    # when the SEiR opens the venture page
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")

    # then Profile shows the new summary and Profile history shows who changed what
    expect(profile_value(page, "Summary")).to_have_text(new_summary)
    history = page.locator("section#history")
    row = history.locator("li.list-group-item").filter(has_text="Esther Lead")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Summary:")
    expect(row.locator("del")).to_have_text(old_summary)
    expect(row.locator("ins")).to_have_text(new_summary)
    revert = row.get_by_role(
        "button", name=re.compile(r"^Revert the change to Summary by Esther Lead on ")
    )
    expect(revert).to_be_visible()
    assert_accessible(page)

    # when they revert it
    revert.click()

    # then the old summary is back, the revert is in the history, and the row cannot be
    # reverted twice
    expect(messages(page)).to_contain_text("The change was reverted.")
    expect(page).to_have_url(re.compile(rf"/ventures/{venture.pk}/#history$"))
    expect(profile_value(page, "Summary")).to_have_text(old_summary)
    expect(row.get_by_role("button", name=re.compile("^Revert"))).to_have_count(0)
    reverted = history.locator("li.list-group-item").filter(has_text="(reverted)")
    expect(reverted).to_have_count(1)
    expect(reverted).to_contain_text("Sam Seir")
    expect(reverted.locator("del")).to_have_text(new_summary)
    expect(reverted.locator("ins")).to_have_text(old_summary)
    assert_accessible(page)
    venture.refresh_from_db()
    assert venture.summary == old_summary
    assert FieldChange.objects.get(reverts=edit).changed_by == people.seir


# --- 3. List: filter, sort, CSV, pagination -------------------------------------------------


def test_seir_filters_sorts_exports_and_pages_through_the_venture_list(
    page: Page, live_server, login, people, tmp_path: Path
):
    # given 30 ventures: three "kitchen" ones in Idea, a kitchen one in Start-up, and others
    programme = people.programme
    matching = ["Aston Kitchen", "Nechells Community Kitchen", "Balsall Heath Garden"]
    for name in ["Aston Kitchen", "Nechells Community Kitchen"]:
        plain_venture(programme, name, stage_code="idea", seir=people.seir)
    # matched by its summary, not its name
    plain_venture(
        programme,
        "Balsall Heath Garden",
        stage_code="idea",
        seir=people.seir,
        summary="A garden and a kitchen for the estate.",
    )
    plain_venture(programme, "Sparkbrook Kitchen Co-op", stage_code="startup", seir=people.seir)
    for n in range(26):
        plain_venture(
            programme,
            f"Venture {n:02d}",
            stage_code="idea" if n % 2 else "pilot",
            seir=people.seir,
        )
    assert Venture.objects.count() == 30

    # when the SEiR opens Ventures
    login(page, live_server, "seir")
    page.get_by_role("link", name="Ventures", exact=True).click()

    # then they see the first 25 of 30, on page 1 of 2, with the filters folded away
    expect(page).to_have_url(re.compile(r"/ventures/$"))
    expect(page.get_by_role("heading", level=1, name="Ventures")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("30 ventures.")
    expect(result_names(page)).to_have_count(25)
    pages = page.get_by_role("navigation", name="Pages of ventures")
    expect(pages).to_contain_text("Page 1 of 2")
    details = page.locator("details").filter(has_text="Filter and sort")
    expect(details).not_to_have_attribute("open", "")
    assert_accessible(page)

    # when they go to the next page
    pages.get_by_role("link", name="Next").click()

    # then they see the last 5
    expect(page).to_have_url(re.compile(r"/ventures/\?page=2$"))
    expect(pages).to_contain_text("Page 2 of 2")
    expect(result_names(page)).to_have_count(5)
    expect(pages.get_by_role("link", name="Next")).to_have_count(0)
    expect(pages.get_by_role("link", name="Previous")).to_be_visible()
    assert_accessible(page)

    # when they open "Filter and sort"
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    search = details.get_by_role("textbox", name=label("Search"))
    expect(search).to_be_visible()
    assert_accessible(page)

    # and filter on Idea and "kitchen"
    details.get_by_role("combobox", name=label("Stage")).select_option(label="Idea")
    search.fill("kitchen")
    details.get_by_role("button", name="Apply").click()

    # then exactly the matching ventures are listed, A-Z, with the count, on one page
    expect(page).to_have_url(re.compile(r"[?&]q=kitchen"))
    expect(page.locator("#result-count")).to_have_text("3 ventures match the filters.")
    expect(result_names(page)).to_have_text(sorted(matching))
    expect(page.get_by_role("navigation", name="Pages of ventures")).to_have_count(0)
    expect(details).to_have_attribute("open", "")
    expect(details.get_by_role("combobox", name=label("Stage"))).to_have_value("idea")
    expect(details.get_by_role("textbox", name=label("Search"))).to_have_value("kitchen")
    assert_accessible(page)

    # when they sort by name, Z-A
    details.get_by_role("combobox", name=label("Sort by")).select_option(label="Name (descending)")
    details.get_by_role("button", name="Apply").click()

    # then the same rows come in reverse order
    expect(page).to_have_url(re.compile(r"[?&]sort=-name"))
    expect(page.locator("#result-count")).to_have_text("3 ventures match the filters.")
    expect(result_names(page)).to_have_text(sorted(matching, reverse=True))
    assert_accessible(page)

    # when they download the CSV
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download CSV")).click()
    download = download_info.value

    # then it holds exactly the filtered ventures, in the order shown
    assert re.fullmatch(r"ventures-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == sorted(matching, reverse=True)
    assert {r["stage"] for r in rows} == {"Idea"}
    assert {r["programme"] for r in rows} == {programme.name}


# --- 4. Two people edit the same venture at once ---------------------------------------


def test_concurrent_edit_shows_a_conflict_keeps_the_input_and_saves_on_the_second_try(
    new_context, live_server, login, people
):
    # given a venture on the entrepreneur's team
    venture = plain_venture(
        people.programme,
        "Handsworth Food Co-op",
        lead=people.esther,
        seir=people.seir,
        summary="A food co-op for Handsworth.",
        area="Handsworth",
    )
    edit_url = f"{live_server.url}/ventures/{venture.pk}/edit/"

    # and the SEiR and the entrepreneur, each in their own browser, on its edit page
    seir_page = new_context().new_page()
    esther_page = new_context().new_page()
    login(seir_page, live_server, "seir")
    login(esther_page, live_server, "esther")
    for p in (seir_page, esther_page):
        p.goto(edit_url)
        expect(p.get_by_role("heading", level=1, name=f"Edit {venture.name}")).to_be_visible()
    assert_accessible(seir_page)
    assert_accessible(esther_page)

    # when the SEiR saves a new area
    seir_page.get_by_role("textbox", name=label("Area")).fill("Sparkhill")
    seir_page.get_by_role("button", name="Save changes").click()
    expect(messages(seir_page)).to_contain_text(f"Saved 1 change(s) to {venture.name}.")

    # and then the entrepreneur saves a different summary from the page they had open
    their_summary = "A members' food co-op with a weekly market in Handsworth Park."
    summary = esther_page.get_by_role("textbox", name=label("Summary"))
    summary.fill(their_summary)
    esther_page.get_by_role("button", name="Save changes").click()

    # then they are told someone else saved first, see what, and keep what they typed
    errors = esther_page.locator("#form-errors")
    expect(errors).to_contain_text("Someone else saved changes to this venture")
    expect(errors).to_contain_text("What they saved:")
    expect(errors.locator("dt")).to_have_text(["Area"])
    expect(errors.locator("dd")).to_have_text(["Sparkhill"])
    expect(errors).to_contain_text("Fields you had not changed now show what they saved.")
    expect(esther_page).to_have_url(edit_url)
    expect(summary).to_have_value(their_summary)
    # the Area they never touched now shows the SEiR's value, so saving cannot undo it
    expect(esther_page.get_by_role("textbox", name=label("Area"))).to_have_value("Sparkhill")
    assert_accessible(esther_page)

    # and nothing of theirs was saved
    venture.refresh_from_db()
    assert venture.area == "Sparkhill"
    assert venture.summary == "A food co-op for Handsworth."
    assert venture.version == 2

    # when they save again
    esther_page.get_by_role("button", name="Save changes").click()

    # then their change is saved and the SEiR's stands
    expect(esther_page).to_have_url(re.compile(rf"/ventures/{venture.pk}/$"))
    expect(messages(esther_page)).to_contain_text(f"change(s) to {venture.name}.")
    expect(profile_value(esther_page, "Summary")).to_have_text(their_summary)
    assert_accessible(esther_page)
    venture.refresh_from_db()
    assert venture.summary == their_summary
    assert venture.area == "Sparkhill"


# --- 5. A PCT manager reads -------------------------------------------------------------


def test_pct_manager_reads_the_pipeline_but_cannot_change_anything(
    page: Page, live_server, login, people
):
    # given a venture with a team note and a SEiR-only note
    venture = plain_venture(
        people.programme, "Handsworth Food Co-op", lead=people.esther, seir=people.seir
    )
    services.venture_note_add(
        actor=people.seir,
        venture=venture,
        body="Residents' meeting on Tuesday.",
        visibility=NoteVisibility.TEAM,
    )
    secret = "Lead may leave for a competing programme."
    services.venture_note_add(
        actor=people.seir, venture=venture, body=secret, visibility=NoteVisibility.STAFF
    )

    # when the manager signs in
    login(page, live_server, "mina")

    # then they land on the dashboard (issue 17), and the start page of links, which
    # names their programme and role, is still there
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/?stay")
    expect(page.get_by_role("heading", level=1, name="Welcome, Mina Manager")).to_be_visible()
    expect(page.locator("main .lead")).to_have_text("You are signed in as PCT manager.")
    programme_row = page.locator("main li.list-group-item").filter(has_text=people.programme.name)
    expect(programme_row.get_by_role("link", name=people.programme.name)).to_be_visible()
    expect(programme_row.locator(".badge")).to_have_text("PCT manager")
    assert_accessible(page)

    # when they open the board
    page.get_by_role("link", name="Board", exact=True).click()

    # then they see the venture's card, but nothing to move or add ventures with
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()
    card = board_card(page, venture)
    expect(card).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Move"))).to_have_count(0)
    expect(page.get_by_role("link", name="Add a venture")).to_have_count(0)
    expect(page.locator("[data-board-draggable]")).to_have_count(0)
    assert_accessible(page)

    # when they open the venture from its card
    card.get_by_role("link", name=venture.name).click()

    # then they read it, without the SEiR-only note and without any form to change it
    expect(page).to_have_url(re.compile(rf"/ventures/{venture.pk}/$"))
    expect(page.get_by_role("heading", level=1, name=venture.name)).to_be_visible()
    expect(page.locator("ol.timeline")).to_contain_text("Residents' meeting on Tuesday.")
    expect(page.get_by_text(secret)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)
    expect(page.get_by_role("link", name="Move stage")).to_have_count(0)
    # the only form on the page is "Sign out", in the header
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main").get_by_role("button")).to_have_count(0)
    expect(page.locator("main textarea, main select, main input")).to_have_count(0)
    assert_accessible(page)

    # when they type the address of the edit form
    response = page.goto(f"{live_server.url}/ventures/{venture.pk}/edit/")

    # then they are refused, plainly
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1, name="You cannot do that")).to_be_visible()
    expect(page.locator("main")).to_contain_text("You can read this venture but not change it.")
    assert_accessible(page)


# --- 6. Password reset -------------------------------------------------------------------


def test_password_reset_by_email_then_sign_in_with_the_new_password(
    page: Page, live_server, login, people, mailoutbox
):
    # given the SEiR, signed out, on the sign-in page
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)

    # when they follow "Forgotten your password?" and give their email address
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1, name="Reset your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name=label("Email")).fill(people.seir.email)
    page.get_by_role("button", name="Send the link").click()

    # then they are told to check their email, and one email with a reset link was sent
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    assert_accessible(page)
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [people.seir.email]
    assert email.subject == "Reset your SEiR Pipeline password"
    links = re.findall(r"https?://\S+/accounts/reset/\S+/", email.body)
    assert len(links) == 1, email.body
    assert links[0].startswith(live_server.url)

    # when they open the link and choose a new password
    page.goto(links[0])
    expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    new_password = "Tulip-harbour-2009"
    page.get_by_role("textbox", name=label("New password")).fill(new_password)
    page.get_by_role("textbox", name=label("New password confirmation")).fill(new_password)
    page.get_by_role("button", name="Set my password").click()

    # then the password is set
    expect(page.get_by_role("heading", level=1, name="Your password is set")).to_be_visible()
    assert_accessible(page)
    people.seir.refresh_from_db()
    assert people.seir.check_password(new_password)

    # and the old password no longer works, but the new one does
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.locator("#id_username").fill("seir")
    page.locator("#id_password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#form-errors")).to_contain_text("The username or password is not right")
    login(page, live_server, "seir", new_password)
    expect(page).to_have_url(re.compile(r"/ventures/board/$"))
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()


# --- 7. Lockout -------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(page: Page, live_server, people):
    # given the SEiR on the sign-in page
    page.goto(f"{live_server.url}/accounts/login/")

    # when they type a wrong password four times, they get the form error each time
    for attempt in range(1, 5):
        page.locator("#id_username").fill("seir")
        page.locator("#id_password").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#form-errors")).to_contain_text(
            "The username or password is not right"
        )
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()

    # when they get it wrong a fifth time
    page.locator("#id_username").fill("seir")
    page.locator("#id_password").fill("wrong-5")
    with page.expect_response(
        lambda r: r.url.endswith("/accounts/login/") and r.request.method == "POST"
    ) as locked:
        page.get_by_role("button", name="Sign in").click()

    # then the account is locked, and the lockout page says for how long and what to do
    assert locked.value.status == 429
    expect(
        page.get_by_role("heading", level=1, name="Too many failed sign-in attempts")
    ).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("locked for 15 minutes after 5 failed")
    expect(page.get_by_role("link", name="reset your password")).to_be_visible()
    assert_accessible(page)

    # and even the right password is refused while the lock lasts
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("seir")
    page.locator("#id_password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", level=1, name="Too many failed sign-in attempts")
    ).to_be_visible()
    assert User.objects.get(username="seir").last_login is None
