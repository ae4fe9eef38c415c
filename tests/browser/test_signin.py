"""A SEiR signs in through the real form in chromium and lands on the pipeline board."""

import datetime

import pytest

from accounts.models import User
from accounts.roles import Role
from accounts.services import membership_add, programme_create
from tests.a11y import assert_accessible

# live_server needs a transactional test, which flushes the database afterwards; restore
# the rows data migrations made (role groups, default stages) for the tests that follow.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def seir_user():
    programme = programme_create(
        name="Birmingham East and North SEiR programme",
        host_organisation="Birmingham East and North PCT",
        start_date=datetime.date(2009, 4, 1),
    )
    user = User.objects.create_user(
        username="seir", password="demo", first_name="Samira", last_name="Patel"
    )
    membership_add(programme=programme, user=user, role=Role.SEIR)
    return user


def test_seir_signs_in_and_lands_on_the_board(page, live_server, login, seir_user):
    # given a SEiR with an account, on the sign-in page (checked with axe by `login`)
    # when they sign in with their username and password
    login(page, live_server, "seir")

    # then they land on the pipeline board, which passes axe too
    assert page.url == f"{live_server.url}/ventures/board/"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Pipeline board"
    assert heading.is_visible()
    assert_accessible(page)


def test_wrong_password_keeps_them_on_the_sign_in_page(page, live_server, seir_user):
    # given a SEiR on the sign-in page
    page.goto(f"{live_server.url}/accounts/login/")

    # when they type a wrong password
    page.locator("#id_username").fill("seir")
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    # then they stay on the sign-in page with the error shown, and axe still passes
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/accounts/login/"
    assert "The username or password is not right" in page.locator("main").inner_text()
    assert_accessible(page)
