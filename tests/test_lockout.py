"""Repeated failed sign-ins lock the account (django-axes), and an administrator can lift it."""

import pytest
from axes.utils import reset
from django.conf import settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
WRONG_LOGIN_MESSAGE = "username or password is not right"
LOCKED_OUT_HEADING = "Too many failed sign-in attempts"


@pytest.fixture
def user():
    return User.objects.create_user(username="samira", password=PASSWORD)


def _sign_in(client, password):
    return client.post(reverse("login"), {"username": "samira", "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_one_wrong_password_shows_the_form_error(client, user):
    # given a user
    # when they type a wrong password once
    response = _sign_in(client, "wrong")

    # then the form says so, and they are not signed in
    assert response.status_code == 200
    assert WRONG_LOGIN_MESSAGE in response.content.decode()
    assert not _signed_in(client)


def test_failure_limit_locks_the_account_until_an_administrator_resets_it(client, user):
    # given the failure limit the settings promise
    assert settings.AXES_FAILURE_LIMIT == 5

    # when the user gets the password wrong that many times
    responses = [_sign_in(client, "wrong") for _ in range(settings.AXES_FAILURE_LIMIT)]

    # then the attempts before the limit show the form error, and the last one locks
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert all(WRONG_LOGIN_MESSAGE in r.content.decode() for r in responses[:-1])
    assert LOCKED_OUT_HEADING in responses[-1].content.decode()
    assert "locked for 15 minutes after 5 failed attempts" in responses[-1].content.decode()

    # when they then try the right password
    locked = _sign_in(client, PASSWORD)

    # then they still get the lockout page and are not signed in
    assert locked.status_code == 429
    assert LOCKED_OUT_HEADING in locked.content.decode()
    assert not _signed_in(client)

    # when an administrator lifts the lock and the user tries again
    assert reset(username="samira") == 1
    response = _sign_in(client, PASSWORD)

    # then the right password works
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _signed_in(client)
    assert client.session["_auth_user_id"] == str(user.pk)
