"""Browser journeys through the event record: the timeline keeps a withdrawn gate
confirmation with its evidence, "Show older" pages through it, and the staff audit
(the programme's activity feed and the venture's activity log)."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from tests.a11y import assert_accessible
from ventures import services
from ventures.models import GateCondition, GateConfirmation, NoteVisibility

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")
NEED = "Need evidenced (local data or a needs assessment)"


@pytest.fixture
def people():
    """A programme with its SEiR ("seir"), a PCT manager ("manager") and a venture led
    by an entrepreneur ("esther")."""
    _reference_data.seed(django_apps, None)  # see tests/browser/test_venture_journeys.py
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    manager = member(
        programme, Role.MANAGER, username="manager", first_name="Mina", last_name="Manager"
    )
    esther = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    venture = services.venture_create(
        actor=seir, programme=programme, name="Saheli Women's Centre", lead=esther
    )
    return SimpleNamespace(
        programme=programme, seir=seir, manager=manager, esther=esther, venture=venture
    )


def entry(page: Page, kind: str, text: str):
    return page.locator(f"ol.timeline li.timeline-entry[data-kind='{kind}']").filter(has_text=text)


def test_a_withdrawn_confirmation_still_shows_in_the_timeline(
    page: Page, live_server, login, people
):
    venture = people.venture
    # given the SEiR on the venture page
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")
    assert_accessible(page)

    # when they confirm "need evidenced" with evidence
    gate = page.locator("section#gate")
    gate.get_by_label(f"Evidence for “{NEED}”").fill("Joint strategic needs assessment 2009")
    gate.get_by_role("button", name=f"Confirm {NEED}").click()
    expect(page.locator("#messages")).to_contain_text(f"Confirmed: {NEED}.")
    confirmed = entry(page, "venture.gate_confirmed", f"Confirmed: {NEED}")
    expect(confirmed).to_contain_text("Evidence: Joint strategic needs assessment 2009")
    assert_accessible(page)

    # and then withdraw it
    page.locator("section#gate").get_by_role(
        "button", name=f"Withdraw confirmation of {NEED}"
    ).click()
    expect(page.locator("#messages")).to_contain_text(f"Confirmation withdrawn: {NEED}.")

    # then the gate no longer counts it, and the timeline keeps both, with the evidence
    expect(page.locator("section#gate")).to_contain_text("1 of 3 conditions met")
    withdrawn = entry(page, "venture.gate_withdrawn", f"Confirmation withdrawn: {NEED}")
    expect(withdrawn).to_have_count(1)
    expect(withdrawn).to_contain_text(
        "It had been confirmed by Sam Seir with the evidence: Joint strategic needs assessment 2009"
    )
    expect(withdrawn).to_contain_text("Sam Seir")
    expect(entry(page, "venture.gate_confirmed", f"Confirmed: {NEED}")).to_have_count(1)
    assert_accessible(page)
    kept = GateConfirmation.objects.get(venture=venture)
    assert (kept.evidence, kept.withdrawn_by) == (
        "Joint strategic needs assessment 2009",
        people.seir,
    )

    # and the entrepreneur sees the withdrawal in their venture's timeline too
    page.context.clear_cookies()
    login(page, live_server, "esther")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")
    expect(
        entry(page, "venture.gate_withdrawn", f"Confirmation withdrawn: {NEED}")
    ).to_contain_text("Joint strategic needs assessment 2009")
    assert_accessible(page)


def test_show_older_and_the_staff_audit(page: Page, live_server, login, people):
    venture, seir = people.venture, people.seir
    # given 25 notes, one of them SEiR-only
    for n in range(1, 25):
        services.venture_note_add(
            actor=seir, venture=venture, body=f"Visit {n:02d}", visibility=NoteVisibility.TEAM
        )
    services.venture_note_add(
        actor=seir, venture=venture, body="Trustees are split.", visibility=NoteVisibility.STAFF
    )

    # when the SEiR opens the venture page: the newest 20 entries, then "Show older"
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")
    entries = page.locator("ol.timeline li.timeline-entry")
    expect(entries).to_have_count(20)
    expect(entries.first).to_contain_text("Trustees are split.")
    expect(entries.first).to_contain_text("SEiR only")
    page.get_by_role("link", name="Show older").click()
    expect(entries).to_have_count(26)
    expect(entries.last).to_contain_text("Added to the pipeline at Idea")
    expect(page.get_by_role("link", name="Show older")).to_have_count(0)
    assert_accessible(page)

    # and the activity log tab lists every event, filterable by kind
    page.get_by_role("link", name="Activity log").click()
    expect(page).to_have_url(re.compile(rf"/ventures/{venture.pk}/activity/$"))
    expect(page.locator("#event-count")).to_have_text("26 events.")
    assert_accessible(page)

    # when they open the programme's activity feed from the programme page
    page.goto(f"{live_server.url}/programmes/{people.programme.pk}/")
    page.get_by_role("link", name="Activity in this programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity in Birmingham East")
    page.locator("summary", has_text="Filter").click()
    page.get_by_label("Kind").select_option(label="Venture added")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#event-count")).to_have_text("1 event matches the filters.")
    expect(page.locator("table.activity-feed")).to_contain_text("Added to the pipeline at Idea")
    assert_accessible(page)
    expect(page.get_by_role("link", name=re.compile("Download CSV"))).to_have_attribute(
        "href", re.compile(r"activity\.csv\?kind=venture\.created")
    )

    # then the PCT manager sees the same feed without the SEiR-only note
    page.context.clear_cookies()
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/programmes/{people.programme.pk}/activity/")
    feed = page.locator("table.activity-feed")
    expect(feed).to_contain_text("Visit 24")
    expect(feed).not_to_contain_text("Trustees are split.")
    assert_accessible(page)
    assert GateCondition.objects.filter(stage__programme=people.programme).exists()
