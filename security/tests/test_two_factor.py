"""Two-factor sign-in: who must use it, enrolment, codes, backup codes, lockout, removal,
and the admin."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.services import membership_add, programme_create
from accounts.sessions import TWO_FACTOR, VERIFIED
from events.models import Event
from security.policy import two_factor_required
from tests.two_factor import code_for, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.real_two_factor]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def programme():
    return programme_create(
        name="Birmingham East", host_organisation="BEN PCT", start_date=datetime.date(2009, 4, 1)
    )


def _person(username, programme=None, role=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        membership_add(programme=programme, user=user, role=role)
    return user


@pytest.fixture
def seir(programme):
    return _person("samira", programme, Role.SEIR)


@pytest.fixture
def entrepreneur(programme):
    return _person("esther", programme, Role.ENTREPRENEUR)


def _sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _enrolled(user) -> list[str]:
    client = Client()
    client.force_login(user)
    client.get(reverse("security:enrol"))
    key = client.session["seir_2fa_enrol_key"]
    response = client.post(reverse("security:enrol"), {"code": totp_code(key)})
    assert response.status_code == 302
    return client.get(response["Location"]).context["codes"]


def _kinds():
    return list(Event.objects.order_by("id").values_list("kind", flat=True))


# --- who must use it ----------------------------------------------------------------


def test_required_for_global_admins_seirs_and_programme_admins_only(programme, entrepreneur):
    admin = _person("ada", is_global_admin=True)
    seir = _person("sam", programme, Role.SEIR)
    prog_admin = _person("pat", programme, Role.ADMINISTRATOR)
    manager = _person("max", programme, Role.MANAGER)
    assert [two_factor_required(u) for u in (admin, seir, prog_admin)] == [True] * 3
    assert [two_factor_required(u) for u in (manager, entrepreneur)] == [False, False]

    # when the programme requires it for everyone
    programme.require_two_factor = True
    programme.save()

    # then everyone in it must use it, and nobody outside it
    assert two_factor_required(User.objects.get(pk=manager.pk))
    assert two_factor_required(User.objects.get(pk=entrepreneur.pk))
    assert not two_factor_required(_person("nobody"))


# --- enrolment on first sign-in ----------------------------------------------------------


def test_a_seir_without_an_app_is_sent_to_set_it_up_and_nothing_else_opens(client, seir):
    # when the SEiR signs in with their password
    response = _sign_in(client, "samira")

    # then every page sends them to the second step, which sends them to set up the app
    assert response["Location"] == reverse("home")
    board = client.get(reverse("ventures:board"))
    assert board.status_code == 302
    assert board["Location"] == "/account/two-factor/?next=%2Fventures%2Fboard%2F"
    verify = client.get(board["Location"])
    assert verify["Location"] == "/account/two-factor/set-up/?next=%2Fventures%2Fboard%2F"
    page = client.get(verify["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'alt="QR code for setting up SEiR Pipeline' in html
    secret = page.context["secret"]
    assert len(secret.replace(" ", "")) == 32 and secret in html
    assert TOTPDevice.objects.count() == 0  # nothing stored until a code proves the app

    # when they type a wrong code, nothing is set up
    key = client.session["seir_2fa_enrol_key"]
    wrong = client.post(
        verify["Location"], {"code": "000000" if totp_code(key) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert TOTPDevice.objects.count() == 0 and _kinds() == ["programme.member_added"]

    # when they type the app's code
    done = client.post(verify["Location"], {"code": totp_code(key)})

    # then the app is set up, ten backup codes are shown once, and they carry on
    assert done["Location"] == "/account/two-factor/backup-codes/?next=%2Fventures%2Fboard%2F"
    codes_page = client.get(done["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/ventures/board/"' in codes_page.content.decode()
    assert client.get(done["Location"])["Location"] == reverse("security:account")  # once
    assert client.get(reverse("ventures:board")).status_code == 200
    device = TOTPDevice.objects.get(user=seir)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=seir).count() == 10
    assert _kinds() == ["programme.member_added", "security.two_factor_enrolled"]


def test_an_enrolled_person_cannot_set_up_a_new_app_before_passing_the_old_one(client, seir):
    _enrolled(seir)
    _sign_in(client, "samira")
    response = client.get(reverse("security:enrol"))
    assert response["Location"].startswith(reverse("security:verify"))
    assert TOTPDevice.objects.filter(user=seir).count() == 1


# --- sign-in with a code ------------------------------------------------------------------


def test_sign_in_with_the_apps_code_and_a_used_code_is_refused_again(seir):
    _enrolled(seir)
    client = Client()
    _sign_in(client, "samira")
    assert client.get(reverse("ventures:board"))["Location"].startswith("/account/two-factor/")

    code = code_for("samira")
    response = client.post(reverse("security:verify"), {"code": code, "next": "/ventures/board/"})
    assert response["Location"] == "/ventures/board/"
    assert client.session[TWO_FACTOR] == VERIFIED
    assert client.get(reverse("ventures:board")).status_code == 200

    # the same code cannot sign in a second session (replay)
    other = Client()
    _sign_in(other, "samira")
    replay = other.post(reverse("security:verify"), {"code": code})
    assert replay.status_code == 400
    assert "That code is not right" in replay.content.decode()


def test_a_backup_code_works_once(seir):
    codes = _enrolled(seir)
    client = Client()
    _sign_in(client, "samira")
    response = client.post(reverse("security:verify"), {"code": codes[0].upper()})
    assert response["Location"] == reverse("home")
    assert StaticToken.objects.filter(device__user=seir).count() == 9
    assert _kinds()[-1] == "security.backup_code_used"
    assert Event.objects.order_by("id").last().data["codes_left"] == 9
    follow = client.get(reverse("home"), follow=True)
    assert "You have 9 left" in follow.content.decode()

    again = Client()
    _sign_in(again, "samira")
    refused = again.post(reverse("security:verify"), {"code": codes[0]})
    assert refused.status_code == 400
    assert TWO_FACTOR not in again.session


def test_wrong_codes_lock_the_account_with_a_clear_message(seir, settings):
    _enrolled(seir)
    client = Client()
    _sign_in(client, "samira")
    answers = [
        client.post(reverse("security:verify"), {"code": "12345x"})
        for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT)
    ]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert "locked for 15 minutes after 5 wrong codes" in answers[-1].content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    assert _kinds()[-1] == "security.two_factor_locked"

    # even the right code, after the password again, is refused while the lock lasts
    _sign_in(client, "samira")
    locked = client.post(reverse("security:verify"), {"code": code_for("samira")})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    # a new window opens after the cool-off (the cache forgets the lock)
    from django.core.cache import caches

    caches["counters"].clear()
    _sign_in(client, "samira")
    ok = client.post(reverse("security:verify"), {"code": code_for("samira")})
    assert ok.status_code == 302


# --- optional for others; the account page ----------------------------------------------


def test_an_entrepreneur_signs_in_without_a_code_until_they_turn_it_on(entrepreneur):
    client = Client()
    _sign_in(client, "esther")
    assert client.get(reverse("security:account")).status_code == 200

    codes = _enrolled(entrepreneur)
    assert len(codes) == 10
    later = Client()
    _sign_in(later, "esther")
    assert later.get(reverse("security:account"))["Location"].startswith("/account/two-factor/")
    later.post(reverse("security:verify"), {"code": code_for("esther")})

    # they may turn it off again; new backup codes replace the old ones
    fresh = later.post(reverse("security:backup_codes_new"))
    new_codes = later.get(fresh["Location"]).context["codes"]
    assert set(new_codes).isdisjoint(codes)
    assert not StaticToken.objects.filter(token__in=codes).exists()
    later.post(reverse("security:remove"))
    assert not TOTPDevice.objects.filter(user=entrepreneur).exists()
    assert not StaticToken.objects.filter(device__user=entrepreneur).exists()
    assert _kinds()[-3:] == [
        "security.two_factor_enrolled",
        "security.backup_codes_made",
        "security.two_factor_removed",
    ]


def test_a_seir_cannot_turn_it_off(seir):
    _enrolled(seir)
    client = Client()
    client.force_login(seir)
    client.post(reverse("security:verify"), {"code": code_for("samira")})
    page = client.get(reverse("security:account")).content.decode()
    assert "Turn off two-factor sign-in" not in page
    response = client.post(reverse("security:remove"), follow=True)
    assert "You cannot turn two-factor sign-in off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=seir).exists()


def test_a_programme_that_starts_requiring_it_reaches_open_sessions(
    programme, entrepreneur, settings
):
    client = Client()
    _sign_in(client, "esther")
    assert client.get(reverse("security:account")).status_code == 200
    programme.require_two_factor = True
    programme.save()
    settings.TWO_FACTOR_RECHECK_SECONDS = 0
    assert client.get(reverse("security:account"))["Location"].startswith("/account/two-factor/")


# --- the admin -------------------------------------------------------------------------


def test_the_admin_needs_the_second_factor(client):
    admin = _person("ada", is_global_admin=True)
    _enrolled(admin)
    _sign_in(client, "ada")
    assert client.get("/admin/")["Location"].startswith("/account/two-factor/")
    client.post(reverse("security:verify"), {"code": code_for("ada")})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("sent", "lands_on"), [("abc", "/"), ("0", "/"), ("/ventures/", "/ventures/")]
)
def test_the_code_page_with_a_next_that_is_not_a_path_goes_home(entrepreneur, sent, lands_on):
    # A bare word passed Django's host check and redirect() read it as a URL name: an
    # unknown one was a 500. (An entrepreneur without an app needs no code: the page
    # sends them on at once.)
    client = Client()
    _sign_in(client, entrepreneur.username)

    response = client.get(reverse("security:verify"), {"next": sent})

    assert response.status_code == 302
    assert response["Location"] == lands_on
