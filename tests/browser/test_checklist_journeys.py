"""Browser journey through due diligence: an entrepreneur uploads evidence and submits an
item, the SEiR returns it with a comment, the entrepreneur resubmits, the SEiR accepts,
and the venture's gate shows the checklist condition met. axe runs on every page state."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists import services
from checklists.factories import pdf_bytes, pdf_upload
from checklists.gate import LABEL
from checklists.models import ChecklistTemplate, ItemStatus
from checklists.selectors import item_history
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
_gate_migration = importlib.import_module("checklists.migrations.0003_gate_condition")

ITEM = "Governing document"


@pytest.fixture
def story():
    _venture_reference.seed(django_apps, None)
    _template_seed.seed(django_apps, None)
    _gate_migration.add(django_apps, None)
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
    # Every Start-up item but one does not apply here: that one decides the gate.
    for item in checklist.items.filter(stage_code="startup").exclude(label=ITEM):
        services.checklist_item_move(
            actor=seir,
            item=item,
            to_status=ItemStatus.NOT_APPLICABLE,
            comment="Covered by the parent charity.",
        )
    item = checklist.items.get(label=ITEM)
    services.checklist_item_update(actor=seir, item=item, data={"owner": esther})
    return SimpleNamespace(venture=venture, item=item, seir=seir, esther=esther)


def gate_condition(page: Page):
    return page.locator("#gate li.gate-item").filter(has_text=LABEL)


def sign_in_as(page, live_server, login, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def open_item(page: Page, live_server, story):
    page.goto(f"{live_server.url}/checklists/items/{story.item.pk}/")
    expect(page.get_by_role("heading", level=2, name=ITEM)).to_be_visible()
    assert_accessible(page)


def test_evidence_is_submitted_returned_resubmitted_and_accepted_and_the_gate_turns_green(
    page: Page, live_server, login, story
):
    # given the entrepreneur on their venture's page: the checklist condition is not met
    sign_in_as(page, live_server, login, "esther")
    page.goto(f"{live_server.url}/ventures/{story.venture.pk}/")
    expect(gate_condition(page)).to_have_class(re.compile(r"\bis-unmet\b"))
    assert_accessible(page)

    # when they open the Due diligence tab
    page.get_by_role("link", name="Due diligence").click()
    expect(page).to_have_url(re.compile(rf"/checklists/ventures/{story.venture.pk}/$"))
    expect(page.get_by_role("heading", level=2, name="Due diligence")).to_be_visible()
    expect(page.locator("#dd-summary")).to_contain_text("7 of 35")
    assert_accessible(page)

    # and open the item, upload a PDF and submit it
    page.get_by_role("link", name=ITEM).click()
    expect(page.get_by_role("heading", level=2, name=ITEM)).to_be_visible()
    expect(page.locator("#item-status")).to_have_text("Not started")
    assert_accessible(page)
    page.get_by_label("File").set_input_files(
        files=[
            {"name": "articles.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Articles")}
        ]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#item-panel .alert-success")).to_contain_text(
        "“articles.pdf” was added as evidence."
    )
    expect(page.locator("#evidence-list")).to_contain_text("articles.pdf")
    expect(page.locator("#item-status")).to_have_text("In progress")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#item-status")).to_have_text("Submitted for review")
    assert_accessible(page)

    # then the SEiR returns it with a comment
    sign_in_as(page, live_server, login, "seir")
    open_item(page, live_server, story)
    page.get_by_role("button", name="Return with a comment").click()  # without the comment
    expect(page.locator("#comment-returned-error")).to_have_text(
        "Write a comment saying what the team should change."
    )
    expect(page.locator("#item-status")).to_have_text("Submitted for review")
    assert_accessible(page)
    page.get_by_label("Comment (required)").fill("Please upload the signed copy.")
    page.get_by_role("button", name="Return with a comment").click()
    expect(page.locator("#item-status")).to_have_text("Returned")
    expect(page.locator("#status-note")).to_have_text("Please upload the signed copy.")
    assert_accessible(page)

    # the entrepreneur sees the comment and resubmits
    sign_in_as(page, live_server, login, "esther")
    open_item(page, live_server, story)
    expect(page.locator("#status-note")).to_have_text("Please upload the signed copy.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#item-status")).to_have_text("Submitted for review")
    assert_accessible(page)

    # the SEiR accepts it
    sign_in_as(page, live_server, login, "seir")
    open_item(page, live_server, story)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#item-status")).to_have_text("Accepted")
    expect(page.locator("#sign-off")).to_contain_text("Sam Seir")
    assert_accessible(page)

    # and the venture's gate shows the checklist condition met
    page.get_by_role("link", name="Overview").click()
    expect(gate_condition(page)).to_have_class(re.compile(r"\bis-met\b"))
    expect(gate_condition(page)).to_contain_text(
        "8 of 8 checklist items accepted or not applicable."
    )
    assert_accessible(page)
    story.item.refresh_from_db()
    assert story.item.status == ItemStatus.ACCEPTED
    assert [c.to_status for c in reversed(item_history(item=story.item))] == [
        "in_progress",
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]


def test_the_seir_gives_a_checklist_adds_an_item_and_drops_one(
    page: Page, live_server, login, story
):
    # given a spin-out venture with no checklist yet
    venture = VentureFactory(
        programme=story.venture.programme,
        stage_code="pilot",
        name="Breathe Easy",
        lead=story.esther,
        seir=story.seir,
        is_spinout=True,
    )
    sign_in_as(page, live_server, login, "seir")
    page.goto(f"{live_server.url}/checklists/ventures/{venture.pk}/")
    expect(page.get_by_text("Breathe Easy has no due-diligence checklist yet.")).to_be_visible()
    assert_accessible(page)

    # when the SEiR gives it the default checklist
    page.get_by_label("Start from").select_option(label="Default due-diligence checklist")
    page.get_by_role("button", name="Give a checklist").click()

    # then every section shows its progress, spin-out items included
    expect(page.locator("#messages")).to_contain_text(
        "now has a due-diligence checklist of 38 items"
    )
    expect(page.locator("#dd-summary")).to_contain_text("0 of 38")
    expect(page.get_by_role("link", name="TUPE transfer of NHS staff")).to_be_visible()
    expect(page.locator("section.checklist-section")).to_have_count(9)
    assert_accessible(page)

    # when they add an item in a new section
    page.get_by_role("link", name="Add an item").click()
    expect(page.get_by_role("heading", level=2, name="Add a checklist item")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Or a new section").fill("Premises")
    page.get_by_role("textbox", name=re.compile(r"^Label\*?$")).fill("Lease for the clinic rooms")
    page.get_by_role("combobox", name="Needed for the gate of").select_option(
        label="Pilot / modest project"
    )
    page.get_by_role("button", name="Add item").click()
    expect(page.locator("#messages")).to_contain_text(
        "“Lease for the clinic rooms” was added to Premises."
    )
    expect(page.locator("#dd-summary")).to_contain_text("0 of 39")
    assert_accessible(page)

    # and drop one that does not apply, with a reason
    page.get_by_role("link", name="Pricing against tariff").click()
    expect(page.get_by_role("heading", level=2, name="Pricing against tariff")).to_be_visible()
    page.get_by_label("Reason (required)").fill("Block contract: no tariff applies.")
    page.get_by_role("button", name="Mark not applicable").click()
    expect(page.locator("#item-status")).to_have_text("Not applicable")
    expect(page.locator("#status-note")).to_have_text("Block contract: no tariff applies.")
    assert_accessible(page)
    page.get_by_role("link", name="← All due-diligence items").click()
    expect(page.locator("#dd-summary")).to_contain_text("1 of 39")
    assert_accessible(page)


def test_on_a_phone_a_link_added_after_a_teammate_submitted_is_named_not_lost(
    page: Page, live_server, login, story
):
    # given the entrepreneur, on a phone, with the item open and a file already attached
    page.set_viewport_size({"width": 390, "height": 844})
    services.evidence_add_file(
        actor=story.esther, item=story.item, upload=pdf_upload("articles.pdf")
    )
    sign_in_as(page, live_server, login, "esther")
    open_item(page, live_server, story)
    address = "https://drive.example.org/" + "signed-articles-of-association-" * 4

    # when a teammate (here the SEiR, for the team) submits it meanwhile, and the
    # entrepreneur adds a link from the page they still have open
    services.checklist_item_move(actor=story.seir, item=story.item, to_status=ItemStatus.SUBMITTED)
    page.get_by_label("Web address").fill(address)
    page.get_by_role("button", name="Add link").click()

    # then the panel says the link was not added, and why, with the address to copy
    alert = page.locator("#evidence-errors")
    expect(alert).to_contain_text(f"The link {address} was not added")
    expect(alert).to_contain_text("while the item is submitted for review")
    expect(page.locator("#item-status")).to_have_text("Submitted for review")
    expect(page.get_by_role("button", name="Add link")).to_have_count(0)
    # nothing runs off the side of a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
