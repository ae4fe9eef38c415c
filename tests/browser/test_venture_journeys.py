"""Browser journeys through the venture pipeline: a SEiR and an entrepreneur.

Each journey drives Debian's chromium (see tests/conftest.py) against ``live_server`` and
runs axe on every distinct page it visits, and on the move dialog while it is open.
"""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Locator, Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from tests.a11y import assert_accessible
from ventures import services
from ventures.factories import VentureFactory
from ventures.models import GateCondition, StageChange, Venture

# live_server needs transactional tests, and each flushes the database afterwards,
# including the reference data a migration made (default stages and gates, legal forms).
# serialized_rollback restores it, but only when the connection that set up the test
# database is the one in use: Playwright's sync API runs an asyncio loop in this thread,
# and Django then keys connections by context, so a run where the database was set up by
# a non-browser test starts browser tests with a fresh connection and nothing is
# restored. ``people`` therefore also re-seeds that data itself (it is idempotent).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_reference_data = importlib.import_module("ventures.migrations.0002_reference_data")

IDEA_GATE_UNMET = [
    "Need evidenced (local data or a needs assessment)",
    "A plausible NHS or council buyer named",
]


# --- helpers -------------------------------------------------------------------------


def board_column(page: Page, stage_name: str) -> Locator:
    """The board column whose heading is ``stage_name`` (the count badge is ignored)."""
    heading = page.locator("h2.board-column-title").filter(
        has_text=re.compile(rf"^\s*{re.escape(stage_name)}\s*\d+\s*$")
    )
    return page.locator("section.board-column").filter(has=heading)


def board_card(page: Page, venture: Venture | int) -> Locator:
    pk = venture if isinstance(venture, int) else venture.pk
    return page.locator(f"li.board-card[data-venture-id='{pk}']")


def wait_for_modal_shown(page: Page) -> Locator:
    """The open #app-modal, once Bootstrap's fade-in has finished (axe would otherwise
    judge colour contrast on half-transparent text)."""
    modal = page.locator("#app-modal")
    expect(modal).to_be_visible()
    expect(modal).to_have_attribute("aria-modal", "true")
    page.wait_for_function(
        """() => {
            const m = document.getElementById('app-modal');
            const d = m && m.querySelector('.modal-dialog');
            return m && d && m.classList.contains('show')
                && getComputedStyle(m).opacity === '1'
                && getComputedStyle(d).transform === 'none';
        }"""
    )
    return modal


def mouse_drag(page: Page, source: Locator, target: Locator) -> None:
    """Drag ``source`` onto ``target`` with real mouse events, in small steps as a person would.

    The board uses SortableJS in its native HTML5 drag-and-drop mode, which Playwright
    drives in Chromium (``locator.drag_to`` works too); several intermediate moves give
    Sortable the dragover stream it uses to pick the drop list and position.
    """
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    assert box, "drag source is not rendered"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    # Leave the start point a little first, so the drag begins on the card itself.
    page.mouse.move(x + 5, y + 5, steps=3)
    page.wait_for_timeout(50)
    target_box = target.bounding_box()
    assert target_box, "drop target is not rendered"
    tx = target_box["x"] + target_box["width"] / 2
    ty = target_box["y"] + min(target_box["height"] / 2, 30)
    page.mouse.move(tx, ty, steps=15)
    page.wait_for_timeout(50)
    page.mouse.move(tx, ty + 2, steps=2)
    page.mouse.up()


def label(text: str) -> re.Pattern:
    """An accessible name as crispy-forms renders it (``*`` after a required field's label)."""
    return re.compile(rf"^{re.escape(text)}\*?$")


def venture_with_gate_met(programme, seir, lead, name: str) -> Venture:
    """A venture in Idea with every condition of its gate met (lead named, the rest confirmed)."""
    venture = VentureFactory(
        programme=programme, stage_code="idea", name=name, lead=lead, seir=seir
    )
    for condition in GateCondition.objects.filter(stage=venture.stage, kind="confirmed"):
        services.gate_condition_confirm(
            actor=seir, venture=venture, condition=condition, evidence="Minutes of 3 March"
        )
    return venture


@pytest.fixture
def people():
    """A programme with its SEiR (username "seir") and an entrepreneur ("esther")."""
    _reference_data.seed(django_apps, None)  # see the note on pytestmark
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    esther = member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Lead"
    )
    return SimpleNamespace(programme=programme, seir=seir, esther=esther)


# --- SEiR ------------------------------------------------------------------------------


def test_seir_adds_a_venture_drags_it_past_a_refused_gate_and_overrides(
    page: Page, live_server, login, people
):
    # given a programme (with no ventures yet), its SEiR and an entrepreneur who can lead one
    programme = people.programme

    # when the SEiR signs in
    login(page, live_server, "seir")

    # then they land on the pipeline board, one column per stage
    expect(page).to_have_url(re.compile(r"/ventures/board/$"))
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()
    expect(page.locator("section.board-column")).to_have_count(5)
    assert_accessible(page)

    # when they add a venture through the form
    page.get_by_role("link", name="Add a venture").click()
    expect(page).to_have_url(re.compile(r"/ventures/new/$"))
    assert_accessible(page)
    expect(page.locator("#id_programme")).to_have_value(str(programme.pk))
    page.get_by_role("textbox", name=label("Name")).fill("Sparkbrook Community Kitchen")
    page.get_by_role("textbox", name=label("Summary")).fill("Cooking lessons and shared meals.")
    page.get_by_role("combobox", name=label("Lead entrepreneur")).select_option(label="Esther Lead")
    expect(page.get_by_role("combobox", name=label("Owning SEiR"))).to_have_value(
        str(people.seir.pk)
    )
    page.get_by_role("button", name="Add venture").click()

    # then they see the new venture's page, in Idea, with the gate it must pass
    expect(page).to_have_url(re.compile(r"/ventures/\d+/$"))
    venture = Venture.objects.get(name="Sparkbrook Community Kitchen")
    expect(page.get_by_role("heading", level=1, name=venture.name)).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("was added at Idea")
    for section in [
        "Profile",
        "Gate to Start-up",
        "Activity",
        "Stage path",
        "Team",
        "Status",
        "Profile history",
    ]:
        expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    assert_accessible(page)

    # when they go back to the board and drag the new card from Idea to Start-up
    page.get_by_role("link", name="Board", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ventures/board/$"))
    idea, startup = board_column(page, "Idea"), board_column(page, "Start-up")
    card = board_card(page, venture)
    expect(idea.locator(card)).to_be_visible()
    expect(idea.locator(f"[data-count-for='{venture.stage_id}']")).to_have_text("1")
    with page.expect_response(
        lambda r: r.url.endswith(f"/ventures/{venture.pk}/move/") and r.request.method == "POST"
    ) as move_response:
        mouse_drag(page, card.locator(".days-in-stage"), startup.locator("ul.board-cards"))

    # then the gate refuses: the card snaps back to Idea
    assert move_response.value.status == 200
    assert "venture-move-refused" in move_response.value.headers["hx-trigger"]
    expect(idea.locator(card)).to_be_visible()
    expect(startup.locator(card)).to_have_count(0)
    expect(idea.locator(f"[data-count-for='{venture.stage_id}']")).to_have_text("1")

    # and the override dialog opens: the refusal said once, there (no copy on the page),
    # each missing condition named once, in the gate list
    modal = wait_for_modal_shown(page)
    expect(modal.get_by_role("alert")).to_have_text(
        re.compile(r"The gate to leave Idea is not met: 2 conditions marked ✗ below are missing\.")
    )
    expect(page.locator("#messages .alert")).to_have_count(0)
    for condition in IDEA_GATE_UNMET:
        expect(modal.get_by_text(condition, exact=False)).to_have_count(1)
    expect(modal.get_by_role("heading", name=f"Move {venture.name}")).to_be_visible()
    expect(modal.locator(".gate-list")).to_contain_text(IDEA_GATE_UNMET[0])
    expect(modal.locator(".gate-list")).to_contain_text("Founder or team named")
    expect(modal.get_by_role("combobox", name=label("Move to"))).to_have_value(
        str(programme.stages.get(code="startup").pk)
    )
    assert_accessible(page)

    # when the SEiR gives an override reason and submits the dialog
    reason = "Commissioner asked for a pilot before the needs assessment is published."
    modal.get_by_role("textbox", name=label("Override reason")).fill(reason)
    modal.get_by_role("button", name="Move", exact=True).click()

    # then the board reloads with the venture in Start-up and says the gate was overridden
    expect(page.locator("#messages")).to_contain_text(f"{venture.name} moved to Start-up.")
    expect(page.locator("#messages")).to_contain_text("The gate was overridden")
    expect(page.locator("#app-modal")).to_be_hidden()
    startup = board_column(page, "Start-up")
    expect(startup.locator(board_card(page, venture))).to_be_visible()
    expect(board_column(page, "Idea").locator(board_card(page, venture))).to_have_count(0)
    assert_accessible(page)

    change = StageChange.objects.filter(venture=venture).latest("changed_at")
    assert (change.from_stage.code, change.to_stage.code) == ("idea", "startup")
    assert change.override_reason == reason
    assert change.unmet_conditions == IDEA_GATE_UNMET

    # when they open the venture page from its card
    board_card(page, venture).get_by_role("link", name=venture.name).click()
    expect(page).to_have_url(re.compile(rf"/ventures/{venture.pk}/$"))

    # then the timeline shows the move with the override reason, and the stage path the override
    timeline = page.locator("ol.timeline")
    entry = timeline.locator("li.timeline-entry").filter(has_text="Moved from Idea to Start-up")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(
        f"Gate overridden ({'; '.join(IDEA_GATE_UNMET)}). Reason: {reason}"
    )
    expect(entry.locator(".badge")).to_have_text("Override")
    expect(timeline).to_contain_text("Added to the pipeline at Idea")
    path_item = page.locator("ol.stage-path li").filter(has_text="Start-up")
    expect(path_item).to_contain_text("gate overridden")
    expect(path_item).to_contain_text("now")
    expect(
        page.get_by_role("heading", level=2, name="Gate to Pilot / modest project")
    ).to_be_visible()
    assert_accessible(page)


def test_seir_moves_a_venture_with_the_keyboard_from_the_move_menu(
    page: Page, live_server, login, people
):
    # given a venture in Idea whose gate is fully met, and another one still blocked
    programme = people.programme
    ready = venture_with_gate_met(programme, people.seir, people.esther, "Ladywood Bike Repair")
    VentureFactory(
        programme=programme,
        stage_code="idea",
        name="Aston Tenants Forum",
        lead=people.esther,
        seir=people.seir,
    )

    login(page, live_server, "seir")
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()
    card = board_card(page, ready)
    expect(board_column(page, "Idea").locator(card)).to_be_visible()
    expect(card).to_contain_text("Gate met (3/3)")

    # when the SEiR opens the card's Move menu with the keyboard and picks "To Start-up"
    toggle = card.get_by_role("button", name=f"Move {ready.name}")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu_item = card.get_by_role("link", name="To Start-up")
    expect(menu_item).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu_item).to_be_focused()
    page.keyboard.press("Enter")

    # then the move dialog opens with the met gate, the target chosen and focus inside it
    modal = wait_for_modal_shown(page)
    expect(modal.get_by_role("heading", name=f"Move {ready.name}")).to_be_visible()
    expect(modal).to_contain_text("3 of 3 met")
    move_to = modal.get_by_role("combobox", name=label("Move to"))
    expect(move_to).to_have_value(str(programme.stages.get(code="startup").pk))
    # focus is inside the dialog (Bootstrap's focus trap puts it on the dialog itself)
    assert page.evaluate("document.getElementById('app-modal').contains(document.activeElement)")
    assert_accessible(page)

    # when they submit it from the keyboard
    submit = modal.get_by_role("button", name="Move", exact=True)
    submit.focus()
    page.keyboard.press("Enter")

    # then the venture is in Start-up, without any override
    expect(page.locator("#messages")).to_contain_text(f"{ready.name} moved to Start-up.")
    expect(page.locator("#messages")).not_to_contain_text("overridden")
    expect(board_column(page, "Start-up").locator(board_card(page, ready))).to_be_visible()
    expect(board_column(page, "Idea").locator(board_card(page, ready))).to_have_count(0)
    assert_accessible(page)
    change = StageChange.objects.filter(venture=ready).latest("changed_at")
    assert (change.from_stage.code, change.to_stage.code, change.override_reason) == (
        "idea",
        "startup",
        "",
    )


def test_seir_drags_a_ready_venture_on_then_moves_it_back_from_the_refreshed_card(
    page: Page, live_server, login, people
):
    # given a venture in Idea whose gate is fully met
    programme = people.programme
    ready = venture_with_gate_met(programme, people.seir, people.esther, "Ladywood Bike Repair")
    idea_stage, startup_stage = ready.stage, programme.stages.get(code="startup")

    login(page, live_server, "seir")
    idea, startup = board_column(page, "Idea"), board_column(page, "Start-up")
    card = board_card(page, ready)
    expect(idea.locator(card)).to_be_visible()

    # when the SEiR drags it to Start-up
    with page.expect_response(
        lambda r: r.url.endswith(f"/ventures/{ready.pk}/move/") and r.request.method == "POST"
    ) as move_response:
        mouse_drag(page, card.locator(".days-in-stage"), startup.locator("ul.board-cards"))

    # then the move is saved, announced, and the card and column counts follow
    assert move_response.value.status == 204
    expect(page.locator("#messages .alert-success")).to_contain_text(
        f"{ready.name} moved to Start-up."
    )
    expect(startup.locator(card)).to_be_visible()
    # the card was re-rendered by the server for its new stage
    expect(card).to_have_attribute("data-stage-id", str(startup_stage.pk))
    expect(card).to_contain_text("Gate: 5 blocking")
    expect(idea.locator(f"[data-count-for='{idea_stage.pk}']")).to_have_text("0")
    expect(startup.locator(f"[data-count-for='{startup_stage.pk}']")).to_have_text("1")
    expect(page.locator("#app-modal")).to_be_hidden()
    ready.refresh_from_db()
    assert ready.stage == startup_stage

    # when they move it back to Idea from the refreshed card's Move menu
    card.get_by_role("button", name=f"Move {ready.name}").click()
    card.get_by_role("link", name="To Idea").click()
    modal = wait_for_modal_shown(page)
    expect(modal.get_by_role("combobox", name=label("Move to"))).to_have_value(str(idea_stage.pk))
    modal.get_by_role("button", name="Move", exact=True).click()

    # then they are back on the board (not on the card fragment) with the venture in Idea
    expect(page.locator("#messages")).to_contain_text(f"{ready.name} moved to Idea.")
    expect(page).to_have_url(re.compile(r"/ventures/board/$"))
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()
    expect(board_column(page, "Idea").locator(board_card(page, ready))).to_be_visible()
    assert_accessible(page)


# --- entrepreneur ----------------------------------------------------------------------


def test_entrepreneur_sees_what_is_asked_edits_their_profile_and_nothing_else(
    page: Page, live_server, login, people
):
    # given an entrepreneur on venture A's team, and venture B run by another team
    programme, seir, esther = people.programme, people.seir, people.esther
    other = member(
        programme, Role.ENTREPRENEUR, username="omar", first_name="Omar", last_name="Other"
    )
    venture_a = VentureFactory(
        programme=programme,
        stage_code="idea",
        name="Handsworth Food Co-op",
        lead=esther,
        seir=seir,
        summary="A food co-op for Handsworth.",
    )
    venture_b = VentureFactory(
        programme=programme,
        stage_code="idea",
        name="Small Heath Youth Radio",
        lead=other,
        seir=seir,
    )

    # when the entrepreneur signs in
    login(page, live_server, "esther")

    # then they land on "My ventures", see their venture and what is being asked of them
    expect(page).to_have_url(re.compile(r"/ventures/mine/$"))
    expect(page.get_by_role("heading", level=1, name="My ventures")).to_be_visible()
    card = page.get_by_role("region", name=venture_a.name)
    expect(card).to_be_visible()
    expect(page.get_by_text(venture_b.name)).to_have_count(0)
    expect(card.get_by_role("heading", name="What is being asked of you")).to_be_visible()
    expect(card).to_contain_text("To move on from Idea, these still need to be in place:")
    asked = card.locator("ul > li")
    expect(asked).to_have_text(IDEA_GATE_UNMET)
    assert_accessible(page)

    # when they edit the summary of their venture
    card.get_by_role("link", name=f"Edit profile of {venture_a.name}").click()
    expect(page).to_have_url(re.compile(rf"/ventures/{venture_a.pk}/edit/$"))
    assert_accessible(page)
    # staff-only fields are not offered to the team
    expect(page.get_by_role("combobox", name=label("Lead entrepreneur"))).to_have_count(0)
    new_summary = "A members' food co-op with a weekly market in Handsworth Park."
    page.get_by_role("textbox", name=label("Summary")).fill(new_summary)
    page.get_by_role("button", name="Save changes").click()

    # then they are back on the venture page with a success message and the edit in its history
    expect(page).to_have_url(re.compile(rf"/ventures/{venture_a.pk}/$"))
    expect(page.locator("#messages")).to_contain_text(f"Saved 1 change(s) to {venture_a.name}.")
    history = page.locator("section#history")
    expect(history.get_by_role("heading", name="Profile history")).to_be_visible()
    expect(history).to_contain_text("Summary")
    expect(history.locator("del")).to_have_text("A food co-op for Handsworth.")
    expect(history.locator("ins")).to_have_text(new_summary)
    expect(
        page.locator("section#history").get_by_role("button", name=re.compile("^Revert"))
    ).to_have_count(0)
    expect(page.get_by_role("link", name="Move stage")).to_have_count(0)
    assert_accessible(page)

    # when they type the address of another team's venture, or of its edit form
    response = page.goto(f"{live_server.url}/ventures/{venture_b.pk}/")

    # then it does not exist for them
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_text(venture_b.name)).to_have_count(0)
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/ventures/{venture_b.pk}/edit/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()

    # and on the board they see only their own card, with no Move menu and no dragging
    response = page.goto(f"{live_server.url}/ventures/board/")
    assert response is not None and response.status == 200
    own_card = board_card(page, venture_a)
    expect(own_card).to_be_visible()
    expect(board_card(page, venture_b)).to_have_count(0)
    expect(own_card.get_by_role("button", name=re.compile(r"^Move"))).to_have_count(0)
    expect(page.locator("[data-board-draggable]")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a venture")).to_have_count(0)
    assert_accessible(page)
    venture_a.refresh_from_db()
    assert venture_a.summary == new_summary
    assert venture_a.stage.code == "idea"


def test_a_paused_card_dropped_on_another_stage_offers_only_reactivate(
    page: Page, live_server, login, people
):
    # given a paused venture in Idea
    programme = people.programme
    paused = VentureFactory(
        programme=programme,
        stage_code="idea",
        name="Aston Repair Café",
        lead=people.esther,
        seir=people.seir,
        status="paused",
        status_reason="Founder on leave.",
    )
    login(page, live_server, "seir")
    idea, startup = board_column(page, "Idea"), board_column(page, "Start-up")
    card = board_card(page, paused)

    # when the SEiR drags it to Start-up
    with page.expect_response(
        lambda r: r.url.endswith(f"/ventures/{paused.pk}/move/") and r.request.method == "POST"
    ):
        mouse_drag(page, card.locator(".days-in-stage"), startup.locator("ul.board-cards"))

    # then the card snaps back and the dialog says why, offering only "Reactivate"
    expect(idea.locator(card)).to_be_visible()
    modal = wait_for_modal_shown(page)
    expect(modal.get_by_role("alert")).to_have_text(
        "Aston Repair Café is paused. Reactivate it before moving it."
    )
    expect(modal.locator(".modal-footer").get_by_role("button")).to_have_text(
        ["Cancel", "Reactivate"]
    )
    expect(modal.get_by_role("combobox")).to_have_count(0)
    assert_accessible(page)

    # when they reactivate it from the dialog
    modal.get_by_role("button", name="Reactivate").click()

    # then the venture is active, and its page offers "Move stage" again
    expect(page.locator("#messages")).to_contain_text("Aston Repair Café is now active.")
    expect(page.get_by_role("link", name="Move stage")).to_be_visible()
    paused.refresh_from_db()
    assert paused.status == "active"
