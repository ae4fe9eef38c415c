"""Browser journeys through a venture's Funding and Outcomes tabs.

An entrepreneur drafts and submits a funding application, the SEiR records the award and
the totals change; the entrepreneur adds an outcome indicator and records measurements,
and the chart's figures appear in the table beside it. axe runs on every page state.
"""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists.factories import pdf_bytes
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Reference data made by migrations is flushed between transactional tests (see the note
# in test_venture_journeys.py); each seeding function is idempotent.
_SEEDS = [
    ("ventures.migrations.0002_reference_data", "seed"),
    ("funding.migrations.0002_default_funds", "add_funds"),
    ("outcomes.migrations.0002_outcomes_framework_domains", "add_domains"),
]


@pytest.fixture
def people():
    for module, function in _SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    esther = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    venture = VentureFactory(
        programme=programme, name="Saheli Women's Centre", lead=esther, seir=seir
    )
    return SimpleNamespace(programme=programme, seir=seir, esther=esther, venture=venture)


def record_measurement(indicator, day: str, value: str) -> None:
    indicator.locator("summary", has_text="Record a measurement").click()
    form = indicator.locator("form[action$='/measurements/']")
    form.get_by_label("Date").fill(day)
    form.get_by_label("Value").fill(value)
    form.get_by_role("button", name="Record a measurement of").click()


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Venture sections").get_by_role("link", name=name).click()
    expect(
        page.get_by_role("navigation", name="Venture sections").get_by_role("link", name=name)
    ).to_have_attribute("aria-current", "page")


def test_funding_application_from_draft_to_award(page: Page, live_server, login, people):
    venture = people.venture
    # given the entrepreneur on their venture's page
    login(page, live_server, "esther")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")
    # when they open the Funding tab (loaded into the page with htmx)
    open_tab(page, "Funding")
    expect(page).to_have_url(re.compile(rf"/funding/venture/{venture.pk}/$"))
    expect(page.get_by_text("No funding applications yet.")).to_be_visible()
    assert_accessible(page)

    # and ask SEIF for more than it gives, they are told so and nothing is added
    form = page.locator("form[action$='/add/']")
    form.get_by_label("Fund").select_option(label="Social Enterprise Investment Fund (SEIF)")
    form.get_by_label("What the money is for").fill("Coaches and slope hire for a year")
    form.get_by_label("Amount requested (£)").fill("25000")
    form.get_by_role("button", name="Add application").click()
    expect(page.get_by_text("gives at most £20,000.00 to one application")).to_be_visible()
    expect(page.get_by_label("What the money is for")).to_have_value(
        "Coaches and slope hire for a year"
    )  # nothing typed is lost
    assert_accessible(page)

    # when they ask for an amount within the limit
    page.get_by_label("Amount requested (£)").fill("18000.50")
    page.get_by_role("button", name="Add application").click()
    expect(
        page.get_by_text("Application to Social Enterprise Investment Fund (SEIF) added.")
    ).to_be_visible()
    card = page.locator("article.card").filter(has_text="Coaches and slope hire")
    expect(card).to_contain_text("Drafting")
    expect(card).to_contain_text("£18,000.50")
    expect(page.locator("[data-total=applied]")).to_have_text("£0.00")  # a draft is no ask yet

    # and submit it
    card.get_by_text("Change status").click()
    card.get_by_label("New status").select_option(label="Submitted")
    assert_accessible(page)
    card.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("is now submitted")).to_be_visible()
    expect(page.locator("[data-total=applied]")).to_have_text("£18,000.50")
    expect(page.locator("[data-total=pending]")).to_have_text("£18,000.50")

    # and attach the bid as a PDF
    card.get_by_label("Document").set_input_files(
        files=[{"name": "seif-bid.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Bid")}]
    )
    card.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("“seif-bid.pdf” attached.")).to_be_visible()
    card = page.locator("article.card").filter(has_text="Coaches and slope hire")
    expect(card.get_by_role("link", name="seif-bid.pdf")).to_be_visible()
    assert_accessible(page)

    # then the SEiR records the award
    page.context.clear_cookies()
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/funding/venture/{venture.pk}/")
    card = page.locator("article.card").filter(has_text="Coaches and slope hire")
    card.get_by_text("Change status").click()
    card.get_by_label("New status").select_option(label="Awarded")
    card.get_by_label("Amount awarded (£)").fill("15000")
    card.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("is now awarded")).to_be_visible()
    expect(page.locator("[data-total=awarded]")).to_have_text("£15,000.00")
    expect(page.locator("[data-total=pending]")).to_have_text("£0.00")
    assert_accessible(page)

    # and the award is in the venture's activity
    open_tab(page, "Overview")
    expect(page.locator("#timeline")).to_contain_text("£15000.00 awarded")

    # and the programme's funding page sums it by fund
    page.goto(f"{live_server.url}/funding/")
    expect(page.locator("[data-total=awarded]")).to_have_text("£15,000.00")
    assert_accessible(page)


def test_outcome_indicator_with_measurements_and_chart(page: Page, live_server, login, people):
    venture = people.venture
    login(page, live_server, "esther")
    page.goto(f"{live_server.url}/outcomes/venture/{venture.pk}/")
    expect(page.get_by_text("No outcome indicators yet.")).to_be_visible()
    assert_accessible(page)

    form = page.locator("form[action$='/indicators/']")
    form.get_by_label("Name").fill("Women taking part each month")
    form.get_by_label("Outcomes Framework domain").select_option(index=2)
    form.get_by_label("Unit").fill("people")
    form.get_by_label("Baseline").fill("20")
    form.get_by_label("Target").fill("120")
    form.get_by_role("button", name="Add indicator").click()
    expect(page.get_by_text("Indicator “Women taking part each month” added.")).to_be_visible()

    indicator = page.locator("article.outcome-indicator")
    for day, value in (("2026-01-05", "45"), ("2026-02-05", "70")):
        record_measurement(indicator, day, value)
        expect(page.get_by_text("Measurement recorded")).to_be_visible()
        indicator = page.locator("article.outcome-indicator")

    expect(indicator.locator("[data-progress]")).to_contain_text(
        "Latest: 70 people on 5 Feb 2026 · 50% of the way from baseline to target"
    )
    table = indicator.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(4)  # baseline, two measurements, target
    expect(table).to_contain_text("5 Jan 2026")
    # the chart was drawn by the vendored Chart.js (a canvas with a size)
    page.wait_for_function(
        "() => { const c = document.querySelector('.outcome-chart canvas');"
        " return c && c.dataset.drawn === '1' && c.width > 0; }"
    )
    # its date axis reads like the table beside it (issue 16 item 11)
    axis = page.evaluate(
        "() => Chart.getChart(document.querySelector('.outcome-chart canvas'))"
        ".scales.x.ticks.map(t => t.label)"
    )
    assert axis == ["5 Jan 2026", "5 Feb 2026"]
    assert_accessible(page)

    # a second value for the same date is refused with a clear message; nothing is lost
    record_measurement(indicator, "2026-02-05", "71")
    expect(
        page.get_by_text("There is already a measurement for 5 February 2026 (70 people)")
    ).to_be_visible()
    add_form = page.locator("form[action$='/measurements/']")
    expect(add_form.get_by_label("Value")).to_have_value("71")
    assert_accessible(page)
