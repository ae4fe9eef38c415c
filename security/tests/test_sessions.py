"""Sessions: idle timeout (time travel, no sleeping), sign out everywhere, and a password
change ending the other sessions."""

import datetime

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import membership_add, programme_create
from events.models import Event
from tests.clients import texts

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def programme():
    return programme_create(
        name="Birmingham East", host_organisation="BEN PCT", start_date=datetime.date(2009, 4, 1)
    )


@pytest.fixture
def seir(programme):
    user = User.objects.create_user(username="samira", password=PASSWORD)
    membership_add(programme=programme, user=user, role=Role.SEIR)
    return user


@pytest.fixture
def entrepreneur(programme):
    user = User.objects.create_user(username="esther", password=PASSWORD)
    membership_add(programme=programme, user=user, role=Role.ENTREPRENEUR)
    return user


@pytest.fixture
def clock(monkeypatch):
    """``clock.move(timedelta)``: every later ``timezone.now()`` is that much later."""

    class Clock:
        offset = datetime.timedelta()

        def move(self, delta):
            self.offset += delta

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_force_login_outside_real_two_factor_tests_has_passed_the_second_factor(seir):
    # the conftest helper: a SEiR's force_login opens pages straight away
    client = Client()
    client.force_login(seir)
    assert client.get(reverse("security:account")).status_code == 200


def test_a_seir_is_signed_out_after_eight_idle_hours(client, seir, clock, settings):
    assert settings.SESSION_IDLE_TIMEOUT_STAFF_HOURS == 8
    client.force_login(seir)

    # used again just before the limit: still signed in, and the clock starts again
    clock.move(8 * HOUR - datetime.timedelta(seconds=1))
    assert client.get(reverse("security:account")).status_code == 200
    clock.move(8 * HOUR - datetime.timedelta(seconds=1))
    assert client.get(reverse("security:account")).status_code == 200

    # unused for longer than eight hours: signed out, told why, brought back afterwards
    clock.move(8 * HOUR + datetime.timedelta(seconds=1))
    response = client.get(reverse("security:account"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccount%2F"
    assert texts(response) == ["You were signed out after 8 hours without using the site."]
    assert not _signed_in(client)


def test_others_are_signed_out_after_seven_idle_days(client, entrepreneur, clock):
    client.force_login(entrepreneur)
    clock.move(9 * HOUR)
    assert client.get(reverse("security:account")).status_code == 200
    clock.move(7 * 24 * HOUR + datetime.timedelta(seconds=1))
    response = client.get(reverse("security:account"))
    assert response.status_code == 302
    assert texts(response) == ["You were signed out after 7 days without using the site."]


def test_sign_out_everywhere_ends_every_session_of_that_person_only(seir, entrepreneur):
    # given the SEiR signed in on two devices, and someone else signed in
    laptop, phone, someone_else = Client(), Client(), Client()
    laptop.force_login(seir)
    phone.force_login(seir)
    someone_else.force_login(entrepreneur)

    # when they sign out everywhere from the laptop
    response = laptop.post(reverse("security:sign_out_everywhere"))

    # then the laptop is signed out and told so, and the phone's session is refused
    assert response["Location"] == reverse("login")
    assert texts(response)[0].startswith("You are signed out everywhere")
    assert not _signed_in(laptop)
    refused = phone.get(reverse("security:account"))
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/login/")
    assert not _signed_in(phone)
    assert someone_else.get(reverse("security:account")).status_code == 200
    assert list(Event.objects.values_list("kind", flat=True).filter(kind__startswith="sec")) == [
        "security.signed_out_everywhere"
    ]

    # and they can sign in again as usual
    again = Client()
    again.force_login(User.objects.get(pk=seir.pk))
    assert again.get(reverse("security:account")).status_code == 200


def test_sign_out_everywhere_is_post_only(client, seir):
    client.force_login(seir)
    assert client.get(reverse("security:sign_out_everywhere")).status_code == 405
    assert User.objects.get(pk=seir.pk).session_epoch == 0


def test_a_password_change_keeps_this_session_and_ends_the_others(seir):
    here, elsewhere = Client(), Client()
    here.force_login(seir)
    elsewhere.force_login(seir)
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Tulip-harbour-2009",
            "new_password2": "Tulip-harbour-2009",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("security:account")).status_code == 200
    assert elsewhere.get(reverse("security:account")).status_code == 302
    assert not _signed_in(elsewhere)


def test_sessions_made_before_the_epoch_existed_stay_valid(seir):
    # epoch 0 is Django's own hash, so deploying this signs nobody out
    assert seir.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(seir)
    seir.session_epoch = 1
    assert seir.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(seir)


def test_a_person_made_a_seir_while_signed_in_is_signed_out_after_eight_idle_hours(
    client, programme, entrepreneur, clock
):
    # given an entrepreneur signed in (seven idle days), then made the programme's SEiR
    client.force_login(entrepreneur)
    membership_add(programme=programme, user=entrepreneur, role=Role.SEIR)
    clock.move(2 * HOUR)
    assert client.get(reverse("security:account")).status_code == 200

    # when their session is left unused for longer than a SEiR's eight hours
    clock.move(8 * HOUR + datetime.timedelta(seconds=1))
    response = client.get(reverse("security:account"))

    # then it is signed out, as any SEiR's is, and told why
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccount%2F"
    assert texts(response) == ["You were signed out after 8 hours without using the site."]
    assert not _signed_in(client)
