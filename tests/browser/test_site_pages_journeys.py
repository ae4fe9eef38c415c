"""Issue 16 item 10: anyone opens the accessibility statement and the privacy notice
from the footer of any page, signed in or not."""

import pytest

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from tests.a11y import assert_accessible

# live_server needs a transactional test; serialized_rollback restores the rows data
# migrations made (the two pages' seeded text among them) for the tests that follow.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _open_from_footer(page, link: str, heading: str):
    page.get_by_role("navigation", name="About this service").get_by_role("link", name=link).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)


def test_an_anonymous_visitor_opens_both_pages_from_the_sign_in_footer(page, live_server):
    # given someone on the sign-in page, not signed in
    page.goto(f"{live_server.url}/accounts/login/")

    # when they follow the footer's links, then each page opens with its seeded text
    _open_from_footer(page, "Accessibility statement", "Accessibility statement for SEiR Pipeline")
    assert page.url == f"{live_server.url}/accessibility/"
    assert page.get_by_role("heading", name="Enforcement procedure").is_visible()

    _open_from_footer(page, "Privacy notice", "Privacy notice for SEiR Pipeline")
    assert page.url == f"{live_server.url}/privacy/"
    assert page.get_by_role("heading", name="What personal data we hold").is_visible()
    # nothing offers an anonymous visitor a way to edit
    assert page.get_by_role("link", name="Edit the privacy notice").count() == 0


def test_a_signed_in_seir_opens_them_from_the_footer(page, live_server, login):
    # given a signed-in SEiR on their start page
    member(ProgrammeFactory(), Role.SEIR, username="seir")
    login(page, live_server, "seir")

    # when they follow the footer's links, then each page opens, axe clean, no edit link
    _open_from_footer(page, "Privacy notice", "Privacy notice for SEiR Pipeline")
    assert page.get_by_role("link", name="Edit the privacy notice").count() == 0
    _open_from_footer(page, "Accessibility statement", "Accessibility statement for SEiR Pipeline")


def test_a_global_administrator_follows_the_edit_link_to_the_admin(page, live_server, login):
    # given a global administrator on the accessibility statement
    member(ProgrammeFactory(), Role.ADMINISTRATOR, username="admin")
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/accessibility/")

    # when they follow "Edit", then the admin's form opens with the text to change
    page.get_by_role("link", name="Edit the accessibility statement").click()
    page.wait_for_load_state()
    assert "/admin/sitepages/sitepage/" in page.url
    assert "## How accessible this service is" in page.locator("#id_body").input_value()
