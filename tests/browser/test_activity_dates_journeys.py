"""Issue 16 item 11 in the browser: the SEiR filters the programme's activity feed to
July and finds the introduction step dated 12 July (recorded today), with the time it
was recorded beside it; today's filter does not list it. axe runs on each state."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from commissioning import services
from commissioning.factories import CommissionerFactory, ContactFactory
from commissioning.models import OrganisationType, Step
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

# live_server flushes the reference data the migrations made: the fixture re-seeds it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_commissioning_reference = importlib.import_module("commissioning.migrations.0002_reference_data")


def _last_12_july() -> datetime.date:
    today = timezone.localdate()
    july = datetime.date(today.year, 7, 12)
    return july if july < today else datetime.date(today.year - 1, 7, 12)


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    _commissioning_reference.seed(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    venture = VentureFactory(
        programme=programme, stage_code="pilot", name="Breathe Easy Erdington", seir=seir
    )
    ben = CommissionerFactory(
        name="BEN PCT", organisation_type=OrganisationType.objects.get(code="pct-icb")
    )
    contact = ContactFactory(commissioner=ben, name="Claire Evans")
    july_12 = _last_12_july()
    introduction = services.introduction_make(
        actor=seir,
        venture=venture,
        contact=contact,
        purpose="COPD rehabilitation",
        made_on=july_12.replace(day=1),
    )
    services.referral_move(actor=seir, referral=introduction, to_step=Step.INTRODUCED, on=july_12)
    return programme, july_12


def _filter(page: Page, date_from: str, date_to: str) -> None:
    summary = page.locator("summary", has_text="Filter")
    if not summary.evaluate("s => s.parentElement.open"):
        summary.click()
    page.get_by_label("Happened from").fill(date_from)
    page.get_by_label("Happened until").fill(date_to)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()


def test_the_feed_files_a_dated_step_under_its_day(page: Page, live_server, login, world):
    programme, july_12 = world
    today = timezone.localdate().isoformat()
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/activity/")

    # when the SEiR filters the feed to July
    _filter(page, july_12.replace(day=1).isoformat(), f"{july_12.year}-07-31")

    # then the step dated 12 July is there, under its day, with when it was recorded
    expect(page.locator("#event-count")).to_have_text("2 events match the filters.")
    moved = page.locator("tr.activity-row[data-kind='commissioning.introduction_moved']")
    expect(moved).to_have_count(1)
    when = moved.locator("td").first
    expect(when.locator("time").first).to_have_text(f"12 Jul {july_12.year}")
    expect(when.locator(".event-recorded")).to_contain_text(
        f"recorded {timezone.localdate():%-d %b %Y}"
    )
    assert_accessible(page)

    # when they filter to today, the day it was recorded, then it is not listed
    _filter(page, today, today)
    expect(page.locator("tr.activity-row[data-kind^='commissioning.']")).to_have_count(0)
    assert_accessible(page)
