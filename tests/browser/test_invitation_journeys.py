"""Issue 16 item 9 on a phone: a SEiR invites a person from the scouting directory into a
venture's team; the invitee follows the link in the email, sets a password and lands,
signed in, on their venture. axe runs on every page."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from accounts.factories import ProgrammeFactory, member
from accounts.models import User
from accounts.roles import Role
from scouting.factories import PersonFactory
from tests.a11y import assert_accessible
from ventures.factories import VentureFactory
from ventures.models import TeamMembership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_venture_reference = importlib.import_module("ventures.migrations.0002_reference_data")
_commissioning_reference = importlib.import_module("commissioning.migrations.0002_reference_data")

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world():
    _venture_reference.seed(django_apps, None)
    programme = ProgrammeFactory(name="Birmingham East")
    seir = member(programme, Role.SEIR, username="seir", first_name="Sam", last_name="Seir")
    venture = VentureFactory(programme=programme, name="Saheli Home Care", seir=seir)
    nadia = PersonFactory(programme=programme, name="Nadia Hussain", email="nadia@example.org")
    return programme, seir, venture, nadia


def test_seir_invites_a_new_entrepreneur_who_sets_a_password_and_lands_on_their_venture(
    page: Page, live_server, login, world, mailoutbox
):
    programme, seir, venture, nadia = world
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")

    # The SEiR opens Nadia's page in the scouting directory and invites her.
    page.goto(f"{live_server.url}/scouting/people/{nadia.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Invite Nadia Hussain into a venture's team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a person")
    expect(page.get_by_label("Full name")).to_have_value("Nadia Hussain")
    expect(page.get_by_label("Email address")).to_have_value("nadia@example.org")
    assert_accessible(page)
    # Only the fields the chosen role needs are shown.
    expect(page.locator("#id_commissioner")).to_be_hidden()
    page.get_by_label("PCT manager").check()
    expect(page.locator("#id_venture")).to_be_hidden()
    page.get_by_label("Entrepreneur of a venture").check()
    page.get_by_label("Venture", exact=True).select_option(label="Saheli Home Care")
    page.get_by_role("button", name="Send the invitation").click()

    # Back on the programme page, the invitation is waiting.
    page.wait_for_url(re.compile(rf"/programmes/{programme.pk}/"))
    expect(page.get_by_text("Invitation sent to nadia@example.org.")).to_be_visible()
    expect(page.locator("#people")).to_contain_text("Team member of Saheli Home Care")
    assert_accessible(page)

    # The email carries the link; the invitee opens it signed out, on her own phone.
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/invitations/[\w-]+/", mailoutbox[0].body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Birmingham East")
    assert_accessible(page)
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Hussain")
    page.locator("#id_password1").fill("quiet-Harbour-77")
    page.locator("#id_password2").fill("quiet-Harbour-77")
    page.get_by_role("button", name="Set my password and join").click()

    # She lands, signed in, on her venture.
    page.wait_for_url(f"{live_server.url}/ventures/{venture.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saheli Home Care")
    expect(page.get_by_text("Welcome, Nadia Hussain")).to_be_visible()
    assert_accessible(page)
    user = User.objects.get(email="nadia@example.org")
    assert TeamMembership.objects.filter(venture=venture, user=user, role="member").exists()

    # The link works once.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    assert_accessible(page)


def test_programme_administrator_edits_the_target_and_removes_a_role_on_a_phone(
    page: Page, live_server, login, world
):
    programme, seir, venture, nadia = world
    member(
        programme,
        Role.ADMINISTRATOR,
        global_admin=False,
        username="admin",
        first_name="Ada",
        last_name="Admin",
    )
    manager = member(programme, Role.MANAGER, username="mo", first_name="Mo", last_name="Khan")
    page.set_viewport_size(PHONE)
    login(page, live_server, "admin")

    # The programme page names the target stage and lists the members.
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    expect(page.locator("main")).to_contain_text("reaching the “Pilot / modest project” stage")
    assert_accessible(page)

    # The administrator changes the target and its stage.
    page.get_by_role("link", name="Edit target, period and alerts").click()
    assert_accessible(page)
    page.locator("#id_target_ventures").fill("8")
    page.locator("#id_target_stage_code").select_option(label="Growth")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The programme's target and period were saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("8 social enterprises reaching the “Growth” stage")

    # Then removes the PCT manager's role, after a confirmation.
    page.get_by_role("link", name="Remove Mo Khan as PCT manager").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Mo Khan as PCT manager?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the role").click()
    expect(page.get_by_text("Mo Khan is no longer PCT manager of Birmingham East.")).to_be_visible()
    assert_accessible(page)
    assert not manager.programme_memberships.exists()


def test_seir_removes_a_commissioner_whose_next_page_no_longer_shows_introductions(
    page: Page, browser, live_server, login, world
):
    from commissioning import services as commissioning_services
    from commissioning.factories import CommissionerFactory, ContactFactory

    programme, seir, venture, nadia = world
    _commissioning_reference.seed(django_apps, None)
    claire = member(
        programme, Role.COMMISSIONER, username="claire", first_name="Claire", last_name="Evans"
    )
    pct = CommissionerFactory(name="Heart of Birmingham PCT")
    contact = ContactFactory(commissioner=pct, name="Claire Evans", user=claire)
    intro = commissioning_services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Falls prevention"
    )

    # Claire, signed in on her own phone, sees the introduction.
    theirs = browser.new_context(viewport=PHONE).new_page()
    login(theirs, live_server, "claire")
    theirs.goto(f"{live_server.url}/commissioning/introductions/{intro.pk}/")
    expect(theirs.get_by_role("heading", level=1)).to_contain_text("Saheli Home Care")

    # The SEiR removes her role; the confirmation says her account leaves the PCT.
    page.set_viewport_size(PHONE)
    login(page, live_server, "seir")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    page.get_by_role("link", name="Remove Claire Evans as Commissioner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove Claire Evans as Commissioner?"
    )
    expect(page.locator("main")).to_contain_text(
        "Their account is also unlinked from every commissioner organisation it acts for:"
    )
    expect(page.locator("main ul").last).to_have_text("Heart of Birmingham PCT")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the role").click()
    expect(
        page.get_by_text("Claire Evans is no longer Commissioner of Birmingham East.")
    ).to_be_visible()

    # Her very next page: no introductions in the navigation, the introduction is gone.
    assert theirs.reload().status == 404
    expect(theirs.locator("main")).not_to_contain_text("Saheli Home Care")
    expect(theirs.get_by_role("link", name="Introductions", exact=True)).to_have_count(0)
    assert_accessible(theirs)
    theirs.context.close()
    contact.refresh_from_db()
    assert (contact.user, contact.name) == (None, "Claire Evans")
