"""Two-factor sign-in as a SEiR meets it: set up the app on first sign-in, sign out, sign
in with the app's code, then with a backup code; and sign out everywhere. Every page is
checked with axe."""

import datetime
import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.roles import Role
from accounts.services import membership_add, programme_create
from events.models import Event
from tests.a11y import assert_accessible
from tests.two_factor import code_for, key_from_secret, totp_code

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


def _password(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("seir")
    page.locator("#id_password").fill("demo")
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.get_by_role("button", name=re.compile("Samira Patel")).click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_enrol_sign_out_sign_in_with_a_code_then_a_backup_code(page: Page, live_server, seir_user):
    # given a SEiR signing in for the first time
    _password(page, live_server)

    # then they are asked to set up an app: a QR code, and the key as text
    expect(page.get_by_role("heading", level=1, name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()

    # when they type a wrong code, they are told, and nothing is set up
    page.get_by_label("6-digit code from the app").fill("12345")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("main")).to_contain_text("That code is not right")
    assert_accessible(page)

    # when they type the app's code
    page.get_by_label("6-digit code from the app").fill(totp_code(key_from_secret(secret)))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    # then they see ten backup codes, once
    expect(page.get_by_role("heading", level=1, name="Your backup codes")).to_be_visible()
    codes = page.locator("#backup-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my backup codes").click()
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()

    # when they sign out and in again, they are asked for a code
    _sign_out(page)
    _password(page, live_server)
    expect(page.get_by_role("heading", level=1, name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_code").fill("000000" if code_for("seir") != "000000" else "1")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("That code is not right")
    assert_accessible(page)
    page.locator("#id_code").fill(code_for("seir"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()

    # when they sign out and in with a backup code instead
    _sign_out(page)
    _password(page, live_server)
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()

    # then they are in, told it is used up, and it no longer exists
    expect(page.get_by_role("heading", level=1, name="Pipeline board")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("You have 9 left")
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    # and the account page shows it all
    page.get_by_role("button", name=re.compile("Samira Patel")).click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    expect(page.locator("#two-factor-status")).to_contain_text("On since")
    expect(page.locator("main")).to_contain_text("You have 9 unused backup codes")
    expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_have_count(0)
    assert_accessible(page)

    # the same backup code does not work a second time
    _sign_out(page)
    _password(page, live_server)
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("That code is not right")
    assert list(
        Event.objects.filter(kind__startswith="security.")
        .order_by("id")
        .values_list("kind", flat=True)
    ) == ["security.two_factor_enrolled", "security.backup_code_used"]


def test_sign_out_everywhere_ends_the_other_browsers_session(
    page: Page, live_server, login, seir_user
):
    # given the SEiR signed in in two browsers
    login(page, live_server, "seir")
    other = page.context.browser.new_context()
    other_page = other.new_page()
    login(other_page, live_server, "seir")

    # when they sign out everywhere from the first
    page.goto(f"{live_server.url}/account/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out everywhere").click()

    # then the first is on the sign-in page, told so, and the second is signed out too
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("You are signed out everywhere")
    assert_accessible(page)
    other_page.goto(f"{live_server.url}/ventures/board/")
    expect(other_page).to_have_url(re.compile(r"/accounts/login/\?next="))
    other.close()
