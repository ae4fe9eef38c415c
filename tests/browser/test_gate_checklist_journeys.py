"""Browser journeys for issue 16: the gate reads restated facts from the checklist (and
links to the item), a confirmation over outstanding items is an override with a reason,
and on a phone the checklist's tables reflow into cards (nothing scrolls sideways)."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists import services
from checklists.models import ChecklistTemplate, ItemStatus
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory
from ventures.models import GateConfirmation

# Transactional tests flush what the data migrations made: re-seed it (idempotent).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_template_seed = importlib.import_module("checklists.migrations.0002_default_template")
_gate_migration = importlib.import_module("checklists.migrations.0003_gate_condition")
_codes_migration = importlib.import_module("checklists.migrations.0005_item_codes_and_gate")

PHONE = {"width": 390, "height": 844}
CQC = "Registrations for regulated care (e.g. CQC) in place"
CQC_ITEM = "CQC registration where regulated activities are provided"


def world(stage_code: str):
    _venture_reference.seed(django_apps, None)
    _template_seed.seed(django_apps, None)
    _gate_migration.add(django_apps, None)
    _codes_migration.forwards(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    lead = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    venture = VentureFactory(
        programme=programme, stage_code=stage_code, name="Sparkbrook Kitchen", lead=lead, seir=seir
    )
    checklist = services.checklist_create(
        actor=seir, venture=venture, template=ChecklistTemplate.objects.get(code="default")
    )
    return venture, checklist, seir


def test_the_gate_line_for_cqc_is_met_by_the_accepted_item_and_links_to_it(
    page: Page, live_server, login
):
    # given: a venture at Growth whose CQC item does not apply (accepted as not applicable)
    venture, checklist, seir = world("growth")
    cqc = checklist.items.get(code="cqc-registration")
    services.checklist_item_move(
        actor=seir, item=cqc, to_status=ItemStatus.NOT_APPLICABLE, comment="No regulated care."
    )

    # when the SEiR opens the venture page
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")

    # then the CQC line is met, says where from, and links to the checklist item
    line = page.locator("#gate li.gate-item").filter(has_text=CQC)
    expect(line).to_have_class("list-group-item gate-item is-met")
    expect(line).to_contain_text(f"Checklist item “{CQC_ITEM}”: Not applicable.")
    assert_accessible(page)
    line.get_by_role("link", name=f"Open in the checklist for “{CQC}”").click()
    expect(page.get_by_role("heading", level=2, name=CQC_ITEM)).to_be_visible()


def test_due_diligence_confirmed_over_outstanding_items_is_shown_as_an_override(
    page: Page, live_server, login
):
    # given: a venture at Pilot with its required checklist items outstanding
    venture, _, _ = world("pilot")
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/ventures/{venture.pk}/")
    line = page.locator("#gate li.gate-item").filter(has_text="Due diligence passed")

    # when the SEiR confirms "Due diligence passed" with evidence and an override reason
    line.get_by_role("textbox", name="Evidence for “Due diligence passed”").fill("Panel review.")
    reason = line.get_by_role("textbox", name="Override reason")
    expect(reason).to_have_accessible_description(
        "“All checklist items required for this stage accepted” is not met (0 of 20 checklist "
        "items accepted or not applicable). Confirming it anyway is an override: say why."
    )
    reason.fill("The panel saw the originals; uploads follow.")
    line.get_by_role("button", name="Confirm Due diligence passed").click()

    # then it is met as an override, with the reason beside it
    expect(page.locator("#messages")).to_contain_text(
        "Confirmed as an override: Due diligence passed."
    )
    line = page.locator("#gate li.gate-item").filter(has_text="Due diligence passed")
    expect(line).to_have_class("list-group-item gate-item is-met")
    expect(line.locator(".badge")).to_have_text("Override")
    expect(line).to_contain_text("Override reason: The panel saw the originals; uploads follow.")
    assert GateConfirmation.objects.get().override_reason == (
        "The panel saw the originals; uploads follow."
    )
    assert_accessible(page)


def test_checklist_tables_reflow_into_cards_on_a_phone(page: Page, live_server, login):
    # given: a checklist with long labels and dates
    venture, _, _ = world("pilot")
    page.set_viewport_size(PHONE)
    login(page, live_server, "esther")

    # when the entrepreneur opens the due-diligence tab on a phone
    page.goto(f"{live_server.url}/checklists/ventures/{venture.pk}/")
    expect(page.get_by_role("heading", level=2, name="Due diligence")).to_be_visible()

    # then nothing scrolls sideways: not the page, not any table's wrapper
    overflowing = page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll('.table-responsive')]
              .filter(el => el.scrollWidth > el.clientWidth + 1).length"""
    )
    assert overflowing == 0
    # each row is a card, each cell labelled ("Status: ...")
    row = page.locator("table.checklist-table tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    status = row.locator("td[data-label='Status']")
    assert status.evaluate("el => getComputedStyle(el, '::before').content") == '"Status: "'
    expect(
        page.get_by_role("table").first.get_by_role("columnheader", name="Status")
    ).to_have_count(1)
    assert_accessible(page)
