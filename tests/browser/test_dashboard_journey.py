"""The PCT manager's dashboard in a browser: sign in, land on it, narrow the period,
open a stage of the funnel and find as many ventures as the figure said."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from progress.tests.conftest import add_venture, at, move
from tests.a11y import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")


@pytest.fixture
def programme():
    _reference_data.seed(django_apps, None)  # see tests/browser/test_venture_journeys.py
    programme = ProgrammeFactory(
        name="Birmingham East", start_date=timezone.localdate() - datetime.timedelta(days=200)
    )
    member(programme, Role.MANAGER, username="manager", first_name="Mina", last_name="Manager")
    start = programme.start_date
    # Two reach the target stage ("pilot") early in the period, one late; three wait in
    # start-up.
    for name, day in (("Alder", 20), ("Birch", 30), ("Cedar", 150)):
        venture = add_venture(programme, name, added=at(start + datetime.timedelta(days=2)))
        move(venture, "startup", at(start + datetime.timedelta(days=10)))
        move(venture, "pilot", at(start + datetime.timedelta(days=day)))
    for name in ("Damson", "Elm", "Fir"):
        venture = add_venture(programme, name, added=at(start + datetime.timedelta(days=5)))
        move(venture, "startup", at(start + datetime.timedelta(days=40)))
    return programme


def test_the_manager_narrows_the_period_and_opens_a_stage(
    page: Page, live_server, login, programme
):
    # given the manager signs in: the dashboard is their start page
    login(page, live_server, "manager")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Programme progress")
    achieved = page.locator("[data-figure='achieved']")
    expect(achieved).to_have_text("3")
    assert_accessible(page)

    # when they narrow the period to its first 60 days
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From (custom)").fill(programme.start_date.isoformat())
    page.get_by_label("To (custom)").fill(
        (programme.start_date + datetime.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="Show").click()

    # then only the two early arrivals count
    expect(page).to_have_url(re.compile(r"period=custom"))
    expect(achieved).to_have_text("2")
    assert_accessible(page)

    # when they open the start-up stage of the funnel
    row = page.locator("#table-pipeline tbody tr").filter(has_text="Start-up")
    link = row.locator("td").first.get_by_role("link")
    figure = int(link.inner_text())
    assert figure == 3
    link.click()

    # then the venture list shows that many ventures, in that stage
    expect(page).to_have_url(re.compile(r"/ventures/\?.*stage=startup"))
    expect(page.locator("#result-count")).to_contain_text(f"{figure} ventures")
    assert_accessible(page)


def test_the_target_figure_opens_its_ventures(page: Page, live_server, login, programme):
    login(page, live_server, "manager")
    achieved = page.locator("[data-figure='achieved']")
    expect(achieved).to_have_text("3")

    achieved.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ventures counting towards the target"
    )
    expect(page.locator("#row-count")).to_have_text("3")
    expect(page.locator("#figure-rows tbody tr")).to_have_count(3)
    assert_accessible(page)


def test_a_stale_link_says_which_filters_it_could_not_use(
    page: Page, live_server, login, programme
):
    """An old bookmark (a SEiR since gone, a period name no longer offered): each select
    says why beside it, tied to it for a screen reader, and the figures are the
    programme's own period."""
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/dashboard/?period=forever&seir=999999")

    expect(page.get_by_role("alert")).to_contain_text("Some filters could not be used")
    for label, value in (("Period", "forever"), ("SEiR", "999999")):
        select = page.get_by_label(label, exact=True)
        expect(select).to_have_attribute("aria-invalid", "true")
        expect(select).to_have_accessible_description(
            f"Select a valid choice. {value} is not one of the available choices."
        )
    expect(page.locator("[data-figure='achieved']")).to_have_text("3")
    assert_accessible(page)
