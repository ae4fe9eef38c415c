"""Signing in with a username typed in another case than the account's."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "quiet-Harbour-77"


@pytest.fixture
def invited():
    """An account opened by an invitation: its username is the address in lower case."""
    return User.objects.create_user(
        username="nadia.hussain@nhs.net", email="nadia.hussain@nhs.net", password=PASSWORD
    )


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_an_address_typed_with_capitals_signs_in_to_its_account(invited):
    client = Client()

    response = sign_in(client, "Nadia.Hussain@NHS.net")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(invited.pk)


def test_wrong_passwords_in_any_case_count_towards_one_lockout(invited):
    # given wrong passwords typed with the address in different cases
    client = Client()
    typed = ["Nadia.Hussain@NHS.net", "NADIA.HUSSAIN@nhs.net", "nadia.hussain@NHS.NET"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, typed[n % len(typed)], "wrong")

    # then the account is locked whichever case is typed next
    response = sign_in(client, "nadia.hussain@nhs.net")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_two_accounts_differing_only_in_case_are_not_guessed_between(invited):
    User.objects.create_user(username="Nadia.Hussain@nhs.net", password="other-Harbour-88")
    client = Client()

    response = sign_in(client, "NADIA.HUSSAIN@NHS.NET")

    assert response.status_code == 200
    assert "The username or password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session
