"""Issue 18 item 4: a person makes their calendar link from the account menu, their
calendar app reads it with no session, and turning it off stops it answering."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists.models import Checklist, ChecklistItem
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")


def test_an_entrepreneur_subscribes_to_their_calendar_and_turns_it_off(
    page, live_server, login, browser
):
    # given an entrepreneur with a checklist item due next week (the default stages put
    # back: a transactional test before this one may have emptied them)
    _reference_data.seed(django_apps, None)
    programme = ProgrammeFactory()
    lead = member(programme, Role.ENTREPRENEUR, username="lead", first_name="Lee", last_name="Lead")
    venture = VentureFactory(programme=programme, name="Saheli", lead=lead)
    checklist = Checklist.objects.create(venture=venture, created_at=timezone.now())
    ChecklistItem.objects.create(
        checklist=checklist,
        section="Governance",
        label="Public liability insurance",
        owner=lead,
        due_date=timezone.localdate() + dt.timedelta(days=7),
        created_at=timezone.now(),
    )
    login(page, live_server, "lead")

    # when they open "Calendar link" from their account menu and make a link
    page.get_by_role("button", name=re.compile("^Lee Lead")).click()
    page.get_by_role("link", name="Calendar link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Your calendar link"
    assert_accessible(page)
    page.get_by_role("button", name="Make my calendar link").click()
    page.wait_for_load_state()
    url = page.get_by_label("Calendar address").input_value()
    assert url.startswith(f"{live_server.url}/reminders/calendar/")
    assert_accessible(page)

    # then a calendar app with no session reads their due item from it
    outsider = browser.new_context()
    feed = outsider.request.get(url)
    assert feed.status == 200
    assert "SUMMARY:Due: Public liability insurance (Saheli)" in feed.text()

    # and once they turn it off, it answers 404
    page.get_by_role("button", name="Turn off my link").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your calendar link is turned off").is_visible()
    assert outsider.request.get(url).status == 404
    outsider.close()
