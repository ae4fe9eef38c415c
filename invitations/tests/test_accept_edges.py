"""Accepting an invitation at the edges: addresses a username cannot copy as it is."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import User
from invitations.models import Invitation
from tests.clients import client_for, texts

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/invitations/([\w-]+)/")
PASSWORD = "quiet-Harbour-77"


def invite_manager(seir, programme, email, capture, mailoutbox) -> str:
    data = {"name": "Siobhan O'Brien", "email": email, "role": "manager", "team_role": "member"}
    with capture(execute=True):
        client_for(seir).post(reverse("invitations:create", args=[programme.pk]), data)
    return LINK.search(mailoutbox[-1].body).group(1)


@pytest.mark.parametrize(
    "email, username",
    [
        ("siobhan.o'brien@example.org", "siobhan.o_brien@example.org"),
        ("team!care@example.org", "team_care@example.org"),
    ],
)
def test_an_address_with_an_apostrophe_opens_an_account_and_says_its_username(
    programme, seir, mailoutbox, django_capture_on_commit_callbacks, email, username
):
    # given an invitation to an address with a sign a username cannot hold
    token = invite_manager(seir, programme, email, django_capture_on_commit_callbacks, mailoutbox)
    url = reverse("invitations:accept", args=[token])
    client = Client()

    # the page says the username they will sign in with
    page = client.get(url)
    assert f"You will sign in with the username {username}." in page.content.decode()

    # when they set a password
    response = client.post(
        url,
        {
            "first_name": "Siobhan",
            "last_name": "O'Brien",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    # then the account is opened (not a server error), signed in, and told its username
    user = User.objects.get(email=email)
    assert response.status_code == 302 and response["Location"] == "/"
    assert user.username == username
    assert client.session[SESSION_KEY] == str(user.pk)
    assert list(user.programme_memberships.values_list("programme_id", "role")) == [
        (programme.pk, "manager")
    ]
    assert Invitation.objects.get().accepted_by == user
    assert texts(response) == [
        "Welcome, Siobhan O'Brien: you are now PCT manager in "
        f"Birmingham East and North SEiR programme. You sign in with the username {username}."
    ]
    # and that username signs in
    again = Client().post(reverse("login"), {"username": username, "password": PASSWORD})
    assert again.status_code == 302


def test_a_plain_address_is_the_username_as_the_page_says(
    programme, seir, mailoutbox, django_capture_on_commit_callbacks
):
    token = invite_manager(
        seir, programme, "mo@example.nhs.uk", django_capture_on_commit_callbacks, mailoutbox
    )

    page = Client().get(reverse("invitations:accept", args=[token]))

    assert (
        "You will sign in with your email address, mo@example.nhs.uk, as your username."
        in page.content.decode()
    )


def test_when_the_address_is_another_accounts_username_the_page_names_the_new_one(
    programme, seir, mailoutbox, django_capture_on_commit_callbacks
):
    # given an account whose username is the invited address but whose email is another
    User.objects.create_user(
        username="mo@example.nhs.uk", email="mo.old@elsewhere.org", password="x-Harbour-1"
    )
    token = invite_manager(
        seir, programme, "mo@example.nhs.uk", django_capture_on_commit_callbacks, mailoutbox
    )
    url = reverse("invitations:accept", args=[token])

    # the page does not promise the address as their username
    page = Client().get(url)
    assert "You will sign in with the username mo@example.nhs.uk-2." in page.content.decode()

    response = Client().post(
        url, {"first_name": "Mo", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert User.objects.get(email="mo@example.nhs.uk").username == "mo@example.nhs.uk-2"
    assert texts(response)[0].endswith("You sign in with the username mo@example.nhs.uk-2.")


# --- an address whose account is closed ---------------------------------------------------


def test_inviting_an_address_whose_account_is_closed_is_refused_and_sends_nothing(
    programme, seir, mailoutbox, django_capture_on_commit_callbacks, snapshot
):
    # given a closed account with the address (its person could not sign in to accept)
    User.objects.create_user(
        username="nadia", email="Nadia@example.org", password="x-Harbour-1", is_active=False
    )
    before = snapshot()

    # when the SEiR invites that address
    data = {"name": "Nadia H", "email": "nadia@example.org", "role": "manager"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(seir).post(
            reverse("invitations:create", args=[programme.pk]), {**data, "team_role": "member"}
        )

    # then the form says why, and nothing is saved or sent
    assert response.status_code == 400
    assert (
        "The account of nadia@example.org is closed, so it cannot sign in to accept an "
        "invitation. A global administrator can open it again in the admin."
    ) in response.content.decode()
    assert snapshot() == before
    assert mailoutbox == []


def test_an_account_closed_after_the_invitation_is_told_so_not_to_sign_in(
    programme, seir, mailoutbox, django_capture_on_commit_callbacks, snapshot
):
    account = User.objects.create_user(
        username="mo", email="mo@example.nhs.uk", password="x-Harbour-1"
    )
    token = invite_manager(
        seir, programme, "mo@example.nhs.uk", django_capture_on_commit_callbacks, mailoutbox
    )
    User.objects.filter(pk=account.pk).update(is_active=False)
    before = snapshot()

    page = Client().get(reverse("invitations:accept", args=[token]))

    body = page.content.decode()
    assert (
        "Your account with the email address mo@example.nhs.uk is closed, so you cannot sign "
        "in to accept." in body
    )
    assert "Sign in to accept" not in body
    assert snapshot() == before


# --- a removed member's other waiting invitations -----------------------------------------


def test_removing_an_entrepreneur_revokes_their_other_waiting_invitation(
    programme, seir, venture, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.models import ProgrammeMembership
    from ventures.factories import VentureFactory

    # given Nadia invited into two ventures' teams, and joined the first
    second = VentureFactory(programme=programme, name="Ladywood Laundry", seir=seir)
    tokens = []
    for each in (venture, second):
        data = {
            "name": "Nadia Hussain",
            "email": "nadia@example.org",
            "role": "entrepreneur",
            "venture": str(each.pk),
            "team_role": "member",
        }
        with django_capture_on_commit_callbacks(execute=True):
            client_for(seir).post(reverse("invitations:create", args=[programme.pk]), data)
        tokens.append(LINK.search(mailoutbox[-1].body).group(1))
    good = {"first_name": "Nadia", "password1": PASSWORD, "password2": PASSWORD}
    Client().post(reverse("invitations:accept", args=[tokens[0]]), good)
    nadia = User.objects.get(email="nadia@example.org")

    # when the SEiR removes her role on the programme's page
    membership = ProgrammeMembership.objects.get(user=nadia)
    client_for(seir).post(reverse("invitations:member_remove", args=[programme.pk, membership.pk]))

    # then the second link no longer brings her back
    client = client_for(nadia)
    response = client.post(reverse("invitations:accept", args=[tokens[1]]))
    assert "This invitation was withdrawn by the programme" in response.content.decode()
    assert not ProgrammeMembership.objects.filter(user=nadia).exists()
    assert Invitation.objects.get(venture=second).revoked_by == seir
