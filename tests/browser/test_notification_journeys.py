"""Browser journey through a notification (issue 18, item 1): an entrepreneur submits a
checklist item, the SEiR sees the bell's count rise, opens the notification and lands on
the item, which is then read. axe runs on every page state."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists import services
from checklists.models import ChecklistTemplate, ItemStatus
from events.models import Event
from inbox.models import Notification
from inbox.notifications import notify_event
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

# See tests/browser/test_venture_journeys.py: transactional tests flush the reference
# data migrations made, so the fixture re-seeds it (each seed is idempotent).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_template_seed = importlib.import_module("checklists.migrations.0002_default_template")

ITEM = "Governing document"
EARLIER = "Board skills and independence"


@pytest.fixture
def story():
    _venture_reference.seed(django_apps, None)
    _template_seed.seed(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    esther = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    venture = VentureFactory(
        programme=programme, stage_code="startup", name="Sparkbrook Kitchen", lead=esther, seir=seir
    )
    checklist = services.checklist_create(
        actor=seir, venture=venture, template=ChecklistTemplate.objects.get(code="default")
    )
    item = checklist.items.get(label=ITEM)
    services.evidence_add_link(actor=esther, item=item, url="https://example.org/articles")
    # One notification the SEiR has not read yet: an item submitted earlier.
    earlier = checklist.items.get(label=EARLIER)
    services.evidence_add_link(actor=esther, item=earlier, url="https://example.org/board")
    services.checklist_item_move(actor=esther, item=earlier, to_status=ItemStatus.SUBMITTED)
    notify_event(Event.objects.get(kind="checklist.item_submitted").pk)
    return SimpleNamespace(venture=venture, item=item, seir=seir, esther=esther)


def bell(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Notifications")
    )


def test_the_seir_sees_the_bell_rise_and_lands_on_the_submitted_item(
    page: Page, browser, live_server, login, story
):
    # given the SEiR signed in, with one unread notification
    login(page, live_server, "seir")
    expect(bell(page)).to_have_accessible_name("Notifications 1 unread")
    assert_accessible(page)

    # when the entrepreneur, in their own browser, submits the item
    other = browser.new_context()
    try:
        theirs = other.new_page()
        login(theirs, live_server, "esther")
        theirs.goto(f"{live_server.url}/checklists/items/{story.item.pk}/")
        theirs.get_by_role("button", name="Submit for review").click()
        expect(theirs.locator("#item-status")).to_have_text("Submitted for review")
        # the entrepreneur is not told of their own action
        expect(bell(theirs)).to_have_accessible_name("Notifications")
    finally:
        other.close()

    # then the SEiR's bell has risen on the next page they open
    page.goto(f"{live_server.url}/ventures/{story.venture.pk}/")
    expect(bell(page)).to_have_accessible_name("Notifications 2 unread")
    assert_accessible(page)

    # they open their notifications: the newest first, both unread
    bell(page).click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    entries = page.locator("#notifications li")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text(
        f"Checklist item submitted: {ITEM} (Sparkbrook Kitchen), by Esther Lead"
    )
    expect(entries.nth(0)).to_contain_text("New")
    assert_accessible(page)

    # and open the new one, landing on the item
    entries.nth(0).get_by_role("link", name=re.compile("Checklist item submitted")).click()
    expect(page).to_have_url(re.compile(rf"/checklists/items/{story.item.pk}/$"))
    expect(page.get_by_role("heading", level=2, name=ITEM)).to_be_visible()
    expect(page.locator("#item-status")).to_have_text("Submitted for review")
    expect(bell(page)).to_have_accessible_name("Notifications 1 unread")
    assert_accessible(page)
    assert Notification.objects.filter(user=story.seir, read_at__isnull=True).count() == 1

    # marking everything read empties the bell
    bell(page).click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_contain_text("Marked 1 notification as read.")
    expect(bell(page)).to_have_accessible_name("Notifications")
    expect(page.locator("#notifications .badge")).to_have_count(0)
    assert_accessible(page)

    # and the email settings page is one click away, accessible too
    page.get_by_role("link", name="Email settings").click()
    expect(page.get_by_role("heading", level=1, name="Notification settings")).to_be_visible()
    expect(
        page.get_by_role("group", name="Checklist item submitted").get_by_label("Email me at once")
    ).to_be_checked()
    page.get_by_role("group", name="Checklist item submitted").get_by_label(
        "No email (the inbox only)"
    ).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved.")
    expect(
        page.get_by_role("group", name="Checklist item submitted").get_by_label(
            "No email (the inbox only)"
        )
    ).to_be_checked()
    assert_accessible(page)
